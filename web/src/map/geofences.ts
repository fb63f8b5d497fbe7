import type { ExpressionSpecification, GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import { SEVERITY_COLOR } from '../palette';
import type { Geofence, GeofenceCollection } from '../types';

const SOURCE = 'geofences';
const FILL_LAYER = 'geofences-fill';
const LINE_LAYER = 'geofences-line';

type Change = { op: 'upsert'; feature: Geofence } | { op: 'delete'; id: string };

const SEVERITY_COLOR_EXPRESSION: ExpressionSpecification = [
  'match',
  ['get', 'severity'],
  'critical',
  SEVERITY_COLOR.critical,
  'warning',
  SEVERITY_COLOR.warning,
  SEVERITY_COLOR.info,
];

/** Geofence polygons, translucent fill and solid outline coloured by severity. */
export class GeofenceLayer {
  private readonly fences = new Map<string, Geofence>();
  /** Changes streamed while a REST load is in flight; replayed on top of its (older) result. */
  private pending: Change[] | null = null;

  constructor(private readonly map: MapLibreMap) {
    map.addSource(SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({
      id: FILL_LAYER,
      type: 'fill',
      source: SOURCE,
      paint: { 'fill-color': SEVERITY_COLOR_EXPRESSION, 'fill-opacity': 0.14 },
    });
    map.addLayer({
      id: LINE_LAYER,
      type: 'line',
      source: SOURCE,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': SEVERITY_COLOR_EXPRESSION, 'line-width': 2.5 },
    });
  }

  async sync(load: () => Promise<GeofenceCollection>): Promise<void> {
    const pending: Change[] = [];
    this.pending = pending;
    try {
      const collection = await load();
      this.fences.clear();
      collection.features.forEach((feature) => this.fences.set(String(feature.id), feature));
      pending.forEach((change) => this.apply(change));
      this.render();
    } finally {
      if (this.pending === pending) {
        this.pending = null;
      }
    }
  }

  change(change: Change): void {
    this.pending?.push(change);
    this.apply(change);
    this.render();
  }

  remove(): void {
    this.map.removeLayer(LINE_LAYER);
    this.map.removeLayer(FILL_LAYER);
    this.map.removeSource(SOURCE);
  }

  private apply(change: Change): void {
    if (change.op === 'upsert') {
      this.fences.set(String(change.feature.id), change.feature);
    } else {
      this.fences.delete(change.id);
    }
  }

  private render(): void {
    const data: GeofenceCollection = { type: 'FeatureCollection', features: [...this.fences.values()] };
    this.map.getSource<GeoJSONSource>(SOURCE)?.setData(data);
  }
}
