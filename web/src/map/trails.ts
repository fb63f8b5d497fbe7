import type { Feature, FeatureCollection, LineString } from 'geojson';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { Fleet } from '../fleet';
import { STATUS_COLOR } from '../palette';
import type { Unit } from '../types';

const SOURCE = 'trails';
const LAYER = 'trails';
const MAX_POINTS = 20;
/** Trails show from this zoom on, for the units in view only: at 10,000 units a whole-fleet trail layer would crawl. */
const TRAIL_MIN_ZOOM = 10;
const MAX_TRAILS = 1000;

/** The last few positions of each unit, drawn as a fading line behind its icon when zoomed in. */
export class TrailLayer {
  private readonly trails = new Map<string, [number, number][]>();
  private drawn = 0;

  constructor(private readonly map: MapLibreMap) {
    map.addSource(SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({
      id: LAYER,
      type: 'line',
      source: SOURCE,
      minzoom: TRAIL_MIN_ZOOM,
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

  setVisible(shown: boolean): void {
    this.map.setLayoutProperty(LAYER, 'visibility', shown ? 'visible' : 'none');
  }

  remove(): void {
    this.map.removeLayer(LAYER);
    this.map.removeSource(SOURCE);
  }

  forget(unitId: string): void {
    this.trails.delete(unitId);
  }

  render(fleet: Fleet, map: MapLibreMap): void {
    const features: Feature<LineString>[] = [];
    if (map.getZoom() >= TRAIL_MIN_ZOOM) {
      const bounds = map.getBounds();
      for (const [id, coordinates] of this.trails) {
        const unit = fleet.get(id);
        if (unit !== undefined && coordinates.length > 1 && bounds.contains([unit.lon, unit.lat])) {
          features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates }, properties: { status: unit.status } });
          if (features.length >= MAX_TRAILS) {
            break;
          }
        }
      }
    }
    if (features.length === 0 && this.drawn === 0) {
      return; // nothing drawn, nothing to draw: spare the worker
    }
    this.drawn = features.length;
    const data: FeatureCollection<LineString> = { type: 'FeatureCollection', features };
    void this.map.getSource<GeoJSONSource>(SOURCE)?.setData(data);
  }
}
