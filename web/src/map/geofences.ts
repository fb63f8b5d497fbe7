import type { Feature, FeatureCollection, Point, Position } from 'geojson';
import type { ExpressionSpecification, GeoJSONSource, Map as MapLibreMap, PointLike } from 'maplibre-gl';
import { SEVERITY_COLOR } from '../palette';
import { LABEL } from './labels';
import type { Geofence, GeofenceCollection } from '../types';

const SOURCE = 'geofences';
const FILL_LAYER = 'geofences-fill';
const LINE_LAYER = 'geofences-line';
const MARKER_SOURCE = 'geofence-markers';
const MARKER_LAYER = 'geofence-markers';
/** Below this zoom a port-sized fence is a few pixels wide: a marker shows where it is. */
const MARKER_MAX_ZOOM = 8;
/** Fences wider than this (degrees) are drawn large enough on their own, and a long corridor has no useful centre. */
const MARKER_MAX_SPAN = 0.5;
const LABEL_SOURCE = 'geofence-labels';
const LABEL_LAYER = 'geofence-labels';
/** From this zoom each fence's name shows at its centroid. */
const LABEL_MIN_ZOOM = 9;

export type GeofenceChange = { op: 'upsert'; feature: Geofence } | { op: 'delete'; id: string };
type Change = GeofenceChange;
/** A click this many pixels from a fence's outline picks it. */
const PICK_SLOP_PX = 6;

const SEVERITY_COLOR_EXPRESSION: ExpressionSpecification = [
  'match',
  ['get', 'severity'],
  'critical',
  SEVERITY_COLOR.critical,
  'warning',
  SEVERITY_COLOR.warning,
  SEVERITY_COLOR.info,
];

/**
 * Geofence polygons, translucent fill and solid outline coloured by severity; zoomed out, a ring marker at the
 * centre of each fence, so small zones stay visible on the overview.
 */
export class GeofenceLayer {
  private readonly fences = new Map<string, Geofence>();
  /** Changes streamed while a REST load is in flight; replayed on top of its (older) result. */
  private pending: Change[] | null = null;
  private listeners: ((change: Change) => void)[] = [];

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
    map.addSource(MARKER_SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({
      id: MARKER_LAYER,
      type: 'circle',
      source: MARKER_SOURCE,
      maxzoom: MARKER_MAX_ZOOM,
      paint: {
        'circle-radius': 28,
        'circle-color': SEVERITY_COLOR_EXPRESSION,
        'circle-opacity': 0.12,
        'circle-stroke-color': SEVERITY_COLOR_EXPRESSION,
        'circle-stroke-width': 3,
      },
    });
    map.addSource(LABEL_SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({
      id: LABEL_LAYER,
      type: 'symbol',
      source: LABEL_SOURCE,
      minzoom: LABEL_MIN_ZOOM,
      layout: {
        'icon-image': ['concat', LABEL.fence, ['get', 'severity'], ':', ['get', 'name']],
        // A fence's name stays even where a town's name would collide: the fence is what the floor works with.
        'icon-allow-overlap': true,
      },
    });
  }

  /** Fence names shown on the map (for the browser tests). */
  labels(): string[] {
    return [...this.fences.values()].map((fence) => String(fence.properties.name));
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
    this.listeners.forEach((listener) => listener(change));
  }

  /** Called with every change streamed or made here, after the map shows it. */
  onChange(listener: (change: Change) => void): void {
    this.listeners.push(listener);
  }

  get(id: string): Geofence | undefined {
    return this.fences.get(id);
  }

  all(): Geofence[] {
    return [...this.fences.values()];
  }

  /** The fence drawn at a screen point (inside it, on its outline, or its marker zoomed out), the smallest first. */
  at(point: { x: number; y: number }): Geofence | undefined {
    const box: [PointLike, PointLike] = [
      [point.x - PICK_SLOP_PX, point.y - PICK_SLOP_PX],
      [point.x + PICK_SLOP_PX, point.y + PICK_SLOP_PX],
    ];
    const hits = this.map
      .queryRenderedFeatures(box, { layers: [FILL_LAYER, LINE_LAYER, MARKER_LAYER].filter((id) => this.map.getLayer(id)) })
      .map((feature) => this.fences.get(String(feature.properties['id'])))
      .filter((fence): fence is Geofence => fence !== undefined);
    return hits.sort((a, b) => span(a) - span(b))[0];
  }

  remove(): void {
    this.map.removeLayer(LABEL_LAYER);
    this.map.removeSource(LABEL_SOURCE);
    this.map.removeLayer(MARKER_LAYER);
    this.map.removeLayer(LINE_LAYER);
    this.map.removeLayer(FILL_LAYER);
    this.map.removeSource(MARKER_SOURCE);
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
    // MapLibre drops string feature ids: the id rides in the properties, for picking.
    const data: GeofenceCollection = {
      type: 'FeatureCollection',
      features: [...this.fences.values()].map((fence) => ({ ...fence, properties: { ...fence.properties, id: fence.id } })),
    };
    this.map.getSource<GeoJSONSource>(SOURCE)?.setData(data);
    const markers: FeatureCollection<Point> = {
      type: 'FeatureCollection',
      features: [...this.fences.values()].flatMap(marker),
    };
    this.map.getSource<GeoJSONSource>(MARKER_SOURCE)?.setData(markers);
    const labels: FeatureCollection<Point> = {
      type: 'FeatureCollection',
      features: [...this.fences.values()].map(labelPoint),
    };
    this.map.getSource<GeoJSONSource>(LABEL_SOURCE)?.setData(labels);
  }
}

function span(fence: Geofence): number {
  const [west, south, east, north] = bounds(fence);
  return (east - west) * (north - south);
}

/** A point at the centre of a small fence's bounding box, carrying its properties; none for a large fence. */
function marker(fence: Geofence): Feature<Point>[] {
  const [west, south, east, north] = bounds(fence);
  if (east - west > MARKER_MAX_SPAN || north - south > MARKER_MAX_SPAN) {
    return [];
  }
  return [
    {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [(west + east) / 2, (south + north) / 2] },
      properties: { ...fence.properties, id: fence.id },
    },
  ];
}

/** [west, south, east, north] of a fence. */
export function bounds(fence: Geofence): [number, number, number, number] {
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  const rings: Position[][] =
    fence.geometry.type === 'Polygon' ? fence.geometry.coordinates : fence.geometry.coordinates.flat();
  for (const ring of rings) {
    for (const [lon, lat] of ring) {
      west = Math.min(west, lon);
      east = Math.max(east, lon);
      south = Math.min(south, lat);
      north = Math.max(north, lat);
    }
  }
  return [west, south, east, north];
}

/** The area centroid of a fence's largest outer ring (its vertex mean if the ring has no area), with its name. */
function labelPoint(fence: Geofence): Feature<Point> {
  const polygons: Position[][][] =
    fence.geometry.type === 'Polygon' ? [fence.geometry.coordinates] : fence.geometry.coordinates;
  let best: Position[] = [];
  let bestArea = -1;
  let centre: Position = [0, 0];
  for (const polygon of polygons) {
    const ring = polygon[0] ?? [];
    let area = 0;
    let cx = 0;
    let cy = 0;
    for (let i = 0; i + 1 < ring.length; i++) {
      const [x0 = 0, y0 = 0] = ring[i] ?? [];
      const [x1 = 0, y1 = 0] = ring[i + 1] ?? [];
      const cross = x0 * y1 - x1 * y0;
      area += cross;
      cx += (x0 + x1) * cross;
      cy += (y0 + y1) * cross;
    }
    if (Math.abs(area) > bestArea) {
      bestArea = Math.abs(area);
      best = ring;
      centre = area === 0 ? [0, 0] : [cx / (3 * area), cy / (3 * area)];
    }
  }
  if (bestArea === 0 && best.length > 0) {
    const mean = (axis: 0 | 1) => best.reduce((sum, point) => sum + (point[axis] ?? 0), 0) / best.length;
    centre = [mean(0), mean(1)];
  }
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: centre },
    properties: { name: fence.properties.name, severity: fence.properties.severity },
  };
}
