import type { Feature, FeatureCollection, Point, Polygon, Position } from 'geojson';
import type { FilterSpecification, GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { Fleet } from '../fleet';
import { destination, type LonLat } from '../geo';
import { SENSOR_COLOR } from '../palette';
import type { SensorInfo, UnitCollection } from '../types';
import { CLUSTER_MAX_ZOOM } from './units';

const SOURCE = 'sensors';
const FILL_LAYER = 'sensor-fov-fill';
const LINE_LAYER = 'sensor-fov-line';
const RING_LAYER = 'sensor-rings';
/**
 * Fields of view from the zoom where sensors leave the clusters and stand on their own; zoomed out a 1.5 km camera
 * wedge is a few pixels, and a border of them would only smear the overview.
 */
export const SENSOR_MIN_ZOOM = CLUSTER_MAX_ZOOM + 1;
/** Arc vertices: one every few degrees draws a smooth edge at any zoom. */
const ARC_STEP_DEGREES = 3;

interface Sensor {
  info: SensorInfo;
  at: LonLat;
}

/**
 * What the sensors cover, under the unit icons: a camera's or radar's field of view as a translucent wedge (bearing,
 * fovDegrees, rangeMeters), a seismic or motion sensor's coverage polygon or range circle, or, when it gives neither,
 * a small ring around its icon.
 */
export class SensorLayer {
  private readonly sensors = new Map<string, Sensor>();
  private frame: number | null = null;

  constructor(
    private readonly map: MapLibreMap,
    private readonly fleet: Fleet,
    beforeId: string,
  ) {
    map.addSource(SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    const polygons: FilterSpecification = ['==', ['geometry-type'], 'Polygon'];
    map.addLayer(
      {
        id: FILL_LAYER,
        type: 'fill',
        source: SOURCE,
        minzoom: SENSOR_MIN_ZOOM,
        filter: polygons,
        paint: { 'fill-color': SENSOR_COLOR, 'fill-opacity': ['match', ['get', 'kind'], 'radar', 0.08, 0.13] },
      },
      beforeId,
    );
    map.addLayer(
      {
        id: LINE_LAYER,
        type: 'line',
        source: SOURCE,
        minzoom: SENSOR_MIN_ZOOM,
        filter: polygons,
        layout: { 'line-join': 'round' },
        paint: { 'line-color': SENSOR_COLOR, 'line-width': 1.5, 'line-opacity': 0.6 },
      },
      beforeId,
    );
    map.addLayer(
      {
        id: RING_LAYER,
        type: 'circle',
        source: SOURCE,
        minzoom: SENSOR_MIN_ZOOM,
        filter: ['==', ['geometry-type'], 'Point'],
        paint: {
          'circle-radius': 22,
          'circle-color': SENSOR_COLOR,
          'circle-opacity': 0.08,
          'circle-stroke-color': SENSOR_COLOR,
          'circle-stroke-width': 1.5,
          'circle-stroke-opacity': 0.6,
        },
      },
      beforeId,
    );
    fleet.onChange(({ updated, removed }) => {
      let moved = removed.some((id) => this.sensors.delete(id));
      for (const unit of updated) {
        const sensor = this.sensors.get(unit.id);
        if (sensor !== undefined && (sensor.at[0] !== unit.lon || sensor.at[1] !== unit.lat)) {
          sensor.at = [unit.lon, unit.lat];
          moved = true;
        }
      }
      if (moved) {
        this.renderSoon();
      }
    });
  }

  /** The registry's list (GET /api/v1/units): which units are sensors, what they cover, where they stand. */
  setRegistry(collection: UnitCollection): void {
    this.sensors.clear();
    for (const { geometry, properties } of collection.features) {
      if (properties.sensor === undefined || properties.sensor === null) {
        continue;
      }
      const live = this.fleet.get(properties.id);
      const [lon = 0, lat = 0] = geometry.coordinates;
      const at: LonLat = live === undefined ? [lon, lat] : [live.lon, live.lat];
      this.sensors.set(properties.id, { info: properties.sensor, at });
    }
    this.renderSoon();
  }

  /** Where sensor `id` stands, if it is one the map knows. */
  position(id: string): LonLat | undefined {
    return this.sensors.get(id)?.at;
  }

  /** How many sensors are drawn with a wedge, a polygon or a ring: for the browser tests. */
  drawn(): { wedges: number; areas: number; rings: number } {
    const counts = { wedges: 0, areas: 0, rings: 0 };
    for (const { info } of this.sensors.values()) {
      const shape = shapeOf(info);
      counts[shape === 'wedge' ? 'wedges' : shape === 'ring' ? 'rings' : 'areas'] += 1;
    }
    return counts;
  }

  remove(): void {
    if (this.frame !== null) {
      cancelAnimationFrame(this.frame);
    }
    for (const layer of [RING_LAYER, LINE_LAYER, FILL_LAYER]) {
      this.map.removeLayer(layer);
    }
    this.map.removeSource(SOURCE);
  }

  private renderSoon(): void {
    this.frame ??= requestAnimationFrame(() => {
      this.frame = null;
      this.render();
    });
  }

  private render(): void {
    const features: Feature<Polygon | Point>[] = [];
    for (const [id, { info, at }] of this.sensors) {
      const properties = { id, kind: info.kind };
      const geometry = geometryOf(info, at);
      features.push({ type: 'Feature', geometry, properties });
    }
    const data: FeatureCollection<Polygon | Point> = { type: 'FeatureCollection', features };
    void this.map.getSource<GeoJSONSource>(SOURCE)?.setData(data);
  }
}

type Shape = 'wedge' | 'coverage' | 'circle' | 'ring';

function shapeOf(info: SensorInfo): Shape {
  if (info.coverage !== undefined) {
    return 'coverage';
  }
  if (info.rangeMeters === undefined) {
    return 'ring';
  }
  const looks = info.kind === 'camera' || info.kind === 'radar';
  return looks && info.bearing !== undefined && (info.fovDegrees ?? 360) < 360 ? 'wedge' : 'circle';
}

/** The area a sensor covers: its polygon; the wedge it looks into; the circle of its range; else its point. */
function geometryOf(info: SensorInfo, at: LonLat): Polygon | Point {
  const range = info.rangeMeters ?? 0;
  switch (shapeOf(info)) {
    case 'coverage':
      return info.coverage as Polygon;
    case 'wedge':
      return { type: 'Polygon', coordinates: [wedge(at, info.bearing ?? 0, info.fovDegrees ?? 360, range)] };
    case 'circle':
      return { type: 'Polygon', coordinates: [wedge(at, 0, 360, range)] };
    case 'ring':
      return { type: 'Point', coordinates: [at[0], at[1]] };
  }
}

/** A closed ring: from the sensor out along the wedge's left edge, round its arc, and back (360°: the circle). */
export function wedge(at: LonLat, bearing: number, fov: number, meters: number): Position[] {
  const full = fov >= 360;
  const span = full ? 360 : fov;
  const steps = Math.max(2, Math.ceil(span / ARC_STEP_DEGREES));
  const arc: Position[] = [];
  for (let i = 0; i <= steps; i++) {
    arc.push(destination(at, bearing - span / 2 + (span * i) / steps, meters));
  }
  if (full) {
    arc[arc.length - 1] = arc[0] as Position; // closed exactly
    return arc;
  }
  return [[at[0], at[1]], ...arc, [at[0], at[1]]];
}
