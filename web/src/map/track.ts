import type { Feature, FeatureCollection, LineString, Point, Position } from 'geojson';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import { TRACK_COLOR } from '../palette';
import type { Track, Unit } from '../types';

const SOURCE = 'track';
const CASING_LAYER = 'track-casing';
const LINE_LAYER = 'track';
const HEAD_LAYER = 'track-head';
/** How far back the track reaches, when it is loaded and while it grows. */
export const TRACK_WINDOW_MS = 60 * 60 * 1000;

/**
 * The selected unit's recent track: a line under the unit icons, loaded over REST and extended with the unit's live
 * positions, and a halo under its latest position.
 */
export class TrackLayer {
  private unitId: string | null = null;
  private coordinates: Position[] = [];
  private times: number[] = [];
  /** Positions streamed while the REST track is loading; appended to its (older) result. */
  private pending: Unit[] | null = null;

  constructor(
    private readonly map: MapLibreMap,
    beforeId: string,
  ) {
    map.addSource(SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer(
      {
        id: CASING_LAYER,
        type: 'line',
        source: SOURCE,
        filter: ['==', ['geometry-type'], 'LineString'],
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: { 'line-color': '#000000', 'line-width': 9, 'line-opacity': 0.75 },
      },
      beforeId,
    );
    map.addLayer(
      {
        id: LINE_LAYER,
        type: 'line',
        source: SOURCE,
        filter: ['==', ['geometry-type'], 'LineString'],
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: { 'line-color': TRACK_COLOR, 'line-width': 4 },
      },
      beforeId,
    );
    map.addLayer(
      {
        id: HEAD_LAYER,
        type: 'circle',
        source: SOURCE,
        filter: ['==', ['geometry-type'], 'Point'],
        // A soft halo, not a ring: rings are the geofence markers' and the alert focus's.
        paint: {
          'circle-radius': 30,
          'circle-color': TRACK_COLOR,
          'circle-opacity': 0.75,
          'circle-blur': 0.3,
        },
      },
      beforeId,
    );
  }

  /** Shows the track of `unit` from `load`, in place of any other; rejects with load's error. */
  async show(unit: Unit, load: () => Promise<Track>): Promise<void> {
    const pending: Unit[] = [];
    this.unitId = unit.id;
    this.pending = pending;
    this.coordinates = [];
    this.times = [];
    this.append(unit);
    this.render();
    try {
      const track = await load();
      if (this.pending !== pending) {
        return; // cleared, or another unit shown, while this one loaded
      }
      this.coordinates = [...track.geometry.coordinates];
      this.times = track.properties.times.map((time) => Date.parse(time));
      [unit, ...pending].forEach((position) => this.append(position));
      this.render();
    } finally {
      if (this.pending === pending) {
        this.pending = null;
      }
    }
  }

  /** Appends the shown unit's new positions, if any are among `units`. */
  extend(units: readonly Unit[]): void {
    let changed = false;
    for (const unit of units) {
      if (unit.id === this.unitId) {
        this.pending?.push(unit);
        changed = this.append(unit) || changed;
      }
    }
    if (changed) {
      this.trim();
      this.render();
    }
  }

  clear(): void {
    this.unitId = null;
    this.pending = null;
    this.coordinates = [];
    this.times = [];
    this.render();
  }

  remove(): void {
    this.map.removeLayer(HEAD_LAYER);
    this.map.removeLayer(LINE_LAYER);
    this.map.removeLayer(CASING_LAYER);
    this.map.removeSource(SOURCE);
  }

  /** Adds a position newer than the last vertex; the stream never moves a unit backwards, REST may overlap it. */
  private append(unit: Unit): boolean {
    const time = Date.parse(unit.time);
    const last = this.times.at(-1);
    if (last !== undefined && time <= last) {
      return false;
    }
    this.coordinates.push([unit.lon, unit.lat]);
    this.times.push(time);
    return true;
  }

  /** Drops vertices older than the window, keeping the latest so the halo stays on the unit. */
  private trim(): void {
    const since = Date.now() - TRACK_WINDOW_MS;
    const old = this.times.findIndex((time) => time >= since);
    const drop = old === -1 ? this.times.length - 1 : old;
    if (drop > 0) {
      this.coordinates.splice(0, drop);
      this.times.splice(0, drop);
    }
  }

  private render(): void {
    const features: Feature<LineString | Point>[] = [];
    const head = this.coordinates.at(-1);
    if (this.coordinates.length > 1) {
      const line: LineString = { type: 'LineString', coordinates: [...this.coordinates] };
      features.push({ type: 'Feature', geometry: line, properties: {} });
    }
    if (head !== undefined) {
      features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: head }, properties: {} });
    }
    const data: FeatureCollection<LineString | Point> = { type: 'FeatureCollection', features };
    this.map.getSource<GeoJSONSource>(SOURCE)?.setData(data);
  }
}
