import type { Feature, FeatureCollection, LineString } from 'geojson';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import { STATUS_COLOR } from '../palette';
import type { Unit } from '../types';

const SOURCE = 'trails';
const LAYER = 'trails';
const MAX_POINTS = 20;

/** The last few positions of each unit, drawn as a fading line behind its icon. */
export class TrailLayer {
  private readonly trails = new Map<string, [number, number][]>();

  constructor(private readonly map: MapLibreMap) {
    map.addSource(SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({
      id: LAYER,
      type: 'line',
      source: SOURCE,
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: {
        'line-color': ['match', ['get', 'status'], 'live', STATUS_COLOR.live, 'stale', STATUS_COLOR.stale, STATUS_COLOR.lost],
        'line-width': 3,
        'line-opacity': 0.55,
      },
    });
  }

  record(unit: Unit): void {
    const trail = this.trails.get(unit.id) ?? [];
    const last = trail.at(-1);
    if (last === undefined || last[0] !== unit.lon || last[1] !== unit.lat) {
      trail.push([unit.lon, unit.lat]);
      if (trail.length > MAX_POINTS) {
        trail.shift();
      }
    }
    this.trails.set(unit.id, trail);
  }

  remove(): void {
    this.map.removeLayer(LAYER);
    this.map.removeSource(SOURCE);
  }

  forget(unitId: string): void {
    this.trails.delete(unitId);
  }

  render(units: ReadonlyMap<string, Unit>): void {
    const features: Feature<LineString>[] = [];
    for (const [id, coordinates] of this.trails) {
      const unit = units.get(id);
      if (unit !== undefined && coordinates.length > 1) {
        features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates }, properties: { status: unit.status } });
      }
    }
    const data: FeatureCollection<LineString> = { type: 'FeatureCollection', features };
    this.map.getSource<GeoJSONSource>(SOURCE)?.setData(data);
  }
}
