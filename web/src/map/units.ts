import type { Feature, FeatureCollection, Point } from 'geojson';
import type {
  ExpressionSpecification,
  GeoJSONSource,
  MapGeoJSONFeature,
  Map as MapLibreMap,
  MapMouseEvent,
  Subscription,
} from 'maplibre-gl';
import type { Fleet } from '../fleet';
import { STATUS_COLOR, type ColorMode } from '../palette';
import type { FleetUnit, UnitStatus } from '../types';
import { CONTACT_PICK_LAYERS } from './contacts';
import { drawMissingImage, IMAGE } from './icons';
import { TrailLayer } from './trails';

const SOURCE = 'units';
export const UNITS_LAYER = 'units';
export const LABELS_LAYER = 'unit-labels';
export const CLUSTERS_LAYER = 'unit-clusters';
const FLAGS_LAYER = 'unit-flags';
/** Layers that must stay under the unit icons and labels are inserted before this one. */
export const UNITS_BOTTOM_LAYER = LABELS_LAYER;

/** Up to this zoom nearby units merge into a counted bubble; beyond it every unit is drawn on its own. */
export const CLUSTER_MAX_ZOOM = 9;
const CLUSTER_RADIUS_PX = 44;
/** Labels from this zoom on: below it they would hide one another and the map. */
export const LABEL_MIN_ZOOM = 9;
/**
 * A data update costs a pass over every unit here and a re-index in MapLibre's worker: 60 units redraw every frame,
 * 10,000 (reporting once a second) once a second.
 */
const RENDER_MS_PER_UNIT = 0.1;
const MAX_RENDER_INTERVAL_MS = 1000;
/** Label images are drawn on demand; past this many, those of units far from the view are dropped. */
const MAX_LABEL_IMAGES = 1500;
/** A click within this many pixels of several units asks which one was meant. */
const PICK_TOLERANCE_PX = 8;

/** Higher draws on top: a live unit is never hidden under a lost one. */
const DRAW_RANK: Record<UnitStatus, number> = { lost: 0, stale: 1, live: 2 };
/** Stale units fade, lost ones turn grey (see `iconColor`); both also carry a flag. */
const OPACITY: ExpressionSpecification = ['match', ['get', 'status'], 'stale', 0.6, 'lost', 0.75, 1];
const NOT_CLUSTER: ExpressionSpecification = ['!', ['has', 'point_count']];

export type Pick =
  | { kind: 'unit'; id: string }
  | { kind: 'choice'; ids: string[]; x: number; y: number }
  | { kind: 'contact'; id: string }
  | null;

export interface UnitLayerOptions {
  colorMode: ColorMode;
  agencyColor(agency: string | null): string;
}

/**
 * Every unit of the fleet: icons by type, rotated by heading and coloured by status or agency; counted bubbles at low
 * zoom (MapLibre's clustering, in its worker); labels when zoomed in; stale and lost units faded and flagged.
 */
export class UnitLayer {
  private readonly trails: TrailLayer;
  private readonly subscriptions: Subscription[];
  private colorMode: ColorMode;
  private picked: (pick: Pick) => void = () => undefined;
  private timer: number | undefined;
  private frame: number | null = null;
  private lastRender = 0;
  /** Label images drawn so far, by image name, with their unit. */
  private readonly labels = new Map<string, string>();
  /** Whether the last rebuild drew only the units near the view (zooming out must then draw them all). */
  private lastNear = false;
  /** For the benchmark: how long the last rebuilds of the source data took on the main thread. */
  readonly renderMs: number[] = [];

  constructor(
    private readonly map: MapLibreMap,
    private readonly fleet: Fleet,
    private readonly options: UnitLayerOptions,
  ) {
    this.colorMode = options.colorMode;
    this.trails = new TrailLayer(map);
    map.setMissingStyleImageResolver((id) => {
      if (drawMissingImage(map, id) && id.startsWith('l:')) {
        this.labels.set(id, id.slice(id.indexOf(':', 2) + 1));
      }
    });
    map.addSource(SOURCE, {
      type: 'geojson',
      data: { type: 'FeatureCollection', features: [] },
      cluster: true,
      clusterMaxZoom: CLUSTER_MAX_ZOOM,
      clusterRadius: CLUSTER_RADIUS_PX,
      clusterProperties: { flagged: ['+', ['case', ['==', ['get', 'status'], 'live'], 0, 1]] },
    });
    map.addLayer({
      id: LABELS_LAYER,
      type: 'symbol',
      source: SOURCE,
      minzoom: LABEL_MIN_ZOOM,
      filter: NOT_CLUSTER,
      layout: {
        'icon-image': ['concat', 'l:', ['get', 'status'], ':', ['get', 'id']],
        'icon-anchor': 'top',
        'icon-offset': [0, 20],
        'icon-padding': 1,
        'symbol-sort-key': ['-', 2, ['get', 'rank']],
      },
    });
    map.addLayer({
      id: UNITS_LAYER,
      type: 'symbol',
      source: SOURCE,
      filter: NOT_CLUSTER,
      layout: {
        'icon-image': ['get', 'icon'],
        'icon-rotate': ['get', 'rotation'],
        'icon-rotation-alignment': 'map',
        'icon-allow-overlap': true,
        'icon-ignore-placement': true,
        'symbol-sort-key': ['get', 'rank'],
      },
      paint: { 'icon-opacity': OPACITY },
    });
    map.addLayer({
      id: FLAGS_LAYER,
      type: 'symbol',
      source: SOURCE,
      filter: ['all', NOT_CLUSTER, ['!=', ['get', 'status'], 'live']],
      layout: {
        'icon-image': ['concat', 'f:', ['get', 'status']],
        'icon-offset': [15, -15],
        'icon-allow-overlap': true,
        'icon-ignore-placement': true,
      },
    });
    map.addLayer({
      id: CLUSTERS_LAYER,
      type: 'symbol',
      source: SOURCE,
      filter: ['has', 'point_count'],
      layout: {
        'icon-image': [
          'concat',
          'c:',
          ['step', ['get', 'point_count'], 's', 10, 'm', 100, 'l', 1000, 'xl'],
          ':',
          ['case', ['>', ['get', 'flagged'], 0], 'flag', 'ok'],
          ':',
          ['to-string', ['get', 'point_count_abbreviated']],
        ],
        'icon-allow-overlap': true,
        'icon-ignore-placement': true,
      },
    });
    const canvas = map.getCanvas();
    const pickable = [CLUSTERS_LAYER, UNITS_LAYER, LABELS_LAYER];
    this.subscriptions = [
      map.on('mouseenter', pickable, () => (canvas.style.cursor = 'pointer')),
      map.on('mouseleave', pickable, () => (canvas.style.cursor = '')),
      map.on('click', (event) => void this.pick(event)),
      map.on('moveend', () => this.dropFarLabels()),
      map.on('moveend', () => this.trails.render(this.fleet, this.map)),
      // Zoomed in, the drawn units are those around the view: a move brings in the ones now near it.
      map.on('moveend', () => {
        if (this.map.getZoom() > CLUSTER_MAX_ZOOM + 1 || this.lastNear) {
          this.renderSoon();
        }
      }),
    ];
    fleet.onChange(({ updated, removed }) => {
      updated.forEach((unit) => this.trails.record(unit));
      removed.forEach((id) => this.trails.forget(id));
      this.schedule();
    });
  }

  /** Registers who hears of clicks on the map: a unit, several to choose from, or null for a click beside them. */
  onPick(handler: (pick: Pick) => void): void {
    this.picked = handler;
  }

  setColorMode(mode: ColorMode): void {
    this.colorMode = mode;
    this.render();
  }

  /** Shows or hides the live units (a history replay hides them, so nobody mistakes one picture for the other). */
  setVisible(shown: boolean): void {
    for (const layer of [CLUSTERS_LAYER, FLAGS_LAYER, UNITS_LAYER, LABELS_LAYER]) {
      this.map.setLayoutProperty(layer, 'visibility', shown ? 'visible' : 'none');
    }
    this.trails.setVisible(shown);
  }

  /** Redraws now, e.g. after agency colours changed. */
  refresh(): void {
    this.render();
  }

  remove(): void {
    window.clearTimeout(this.timer);
    if (this.frame !== null) {
      cancelAnimationFrame(this.frame);
    }
    this.subscriptions.forEach((subscription) => subscription.unsubscribe());
    this.map.setMissingStyleImageResolver(null);
    this.map.getCanvas().style.cursor = '';
    for (const layer of [CLUSTERS_LAYER, FLAGS_LAYER, UNITS_LAYER, LABELS_LAYER]) {
      this.map.removeLayer(layer);
    }
    this.map.removeSource(SOURCE);
    this.trails.remove();
  }

  iconColor(unit: FleetUnit): string {
    if (unit.status === 'lost') {
      return STATUS_COLOR.lost;
    }
    return this.colorMode === 'status' ? STATUS_COLOR[unit.status] : this.options.agencyColor(unit.agency);
  }

  private async pick(event: MapMouseEvent): Promise<void> {
    const { x, y } = event.point;
    const box: [[number, number], [number, number]] = [
      [x - PICK_TOLERANCE_PX, y - PICK_TOLERANCE_PX],
      [x + PICK_TOLERANCE_PX, y + PICK_TOLERANCE_PX],
    ];
    const [top] = this.map.queryRenderedFeatures(event.point, { layers: [CLUSTERS_LAYER, UNITS_LAYER, LABELS_LAYER] });
    if (top !== undefined && top.layer.id === CLUSTERS_LAYER) {
      await this.openCluster(top, x, y);
      return;
    }
    const near = this.map.queryRenderedFeatures(box, { layers: [UNITS_LAYER] });
    const ids = [...new Set(near.map((feature) => String(feature.properties['id'])))];
    const topId: unknown = top?.properties['id'];
    if (ids.length > 1) {
      this.picked({ kind: 'choice', ids, x, y });
    } else if (typeof topId === 'string') {
      this.picked({ kind: 'unit', id: topId });
    } else if (ids.length === 1 && ids[0] !== undefined) {
      this.picked({ kind: 'unit', id: ids[0] });
    } else {
      this.picked(this.contactAt(box));
    }
  }

  /** Own units win a click; beside them, a contact (hidden contacts are not drawn, so never hit). */
  private contactAt(box: [[number, number], [number, number]]): Pick {
    const layers = CONTACT_PICK_LAYERS.filter((layer) => this.map.getLayer(layer) !== undefined);
    const [contact] = layers.length === 0 ? [] : this.map.queryRenderedFeatures(box, { layers });
    const id: unknown = contact?.properties['id'];
    return typeof id === 'string' ? { kind: 'contact', id } : null;
  }

  /** Zooms to where a cluster splits apart; units on one spot, which never split, are offered as a list. */
  private async openCluster(cluster: MapGeoJSONFeature, x: number, y: number): Promise<void> {
    const source = this.map.getSource<GeoJSONSource>(SOURCE);
    const clusterId: unknown = cluster.properties['cluster_id'];
    if (source === undefined || typeof clusterId !== 'number' || cluster.geometry.type !== 'Point') {
      return;
    }
    const [lon = 0, lat = 0] = cluster.geometry.coordinates;
    const zoom = await source.getClusterExpansionZoom(clusterId);
    if (zoom <= CLUSTER_MAX_ZOOM + 1 && zoom > this.map.getZoom()) {
      this.map.easeTo({ center: [lon, lat], zoom: zoom + 0.25 });
      return;
    }
    const leaves = await source.getClusterLeaves(clusterId, 50, 0);
    const ids = leaves.map((leaf) => String(leaf.properties?.['id']));
    this.picked({ kind: 'choice', ids, x, y });
  }

  /** Coalesces updates: one rebuild of the source per frame, less often for a large fleet. */
  private schedule(): void {
    if (this.timer !== undefined || this.frame !== null) {
      return;
    }
    const interval = Math.min(MAX_RENDER_INTERVAL_MS, this.fleet.size * RENDER_MS_PER_UNIT);
    const wait = Math.max(0, this.lastRender + interval - performance.now());
    this.timer = window.setTimeout(() => {
      this.timer = undefined;
      this.frame = requestAnimationFrame(() => {
        this.frame = null;
        this.render();
      });
    }, wait);
  }

  /** Redraws on the next frame, whatever the pace for the fleet's size. */
  private renderSoon(): void {
    window.clearTimeout(this.timer);
    this.timer = undefined;
    this.frame ??= requestAnimationFrame(() => {
      this.frame = null;
      this.render();
    });
  }

  private render(): void {
    const started = performance.now();
    this.lastRender = started;
    const features: Feature<Point>[] = [];
    const near = this.nearView();
    this.lastNear = near !== null;
    for (const unit of this.fleet.all()) {
      if (near !== null && !near(unit)) {
        continue;
      }
      features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [unit.lon, unit.lat] },
        properties: {
          id: unit.id,
          status: unit.status,
          icon: IMAGE.unit(unit.type, this.iconColor(unit)),
          rotation: unit.type === 'sensor' ? 0 : (unit.heading ?? 0),
          rank: DRAW_RANK[unit.status],
        },
      });
    }
    const data: FeatureCollection<Point> = { type: 'FeatureCollection', features };
    void this.map.getSource<GeoJSONSource>(SOURCE)?.setData(data);
    this.trails.render(this.fleet, this.map);
    this.renderMs.push(performance.now() - started);
    if (this.renderMs.length > 120) {
      this.renderMs.shift();
    }
  }

  /**
   * Zoomed in past clustering, only units around the view are drawn: the worker then indexes hundreds of points per
   * update instead of the whole fleet. Null (everything) zoomed out, where every unit counts in some bubble.
   */
  private nearView(): ((unit: FleetUnit) => boolean) | null {
    if (this.map.getZoom() <= CLUSTER_MAX_ZOOM + 1) {
      return null;
    }
    const bounds = this.map.getBounds();
    if (bounds.getWest() < -180 || bounds.getEast() > 180) {
      return null; // across the antimeridian: not worth the arithmetic
    }
    const padLon = bounds.getEast() - bounds.getWest();
    const padLat = bounds.getNorth() - bounds.getSouth();
    const west = bounds.getWest() - padLon;
    const east = bounds.getEast() + padLon;
    const south = bounds.getSouth() - padLat;
    const north = bounds.getNorth() + padLat;
    return (unit) => unit.lat >= south && unit.lat <= north && unit.lon >= west && unit.lon <= east;
  }

  /** Forgets label images of units far from the view, so an operator panning all shift does not pile them up. */
  private dropFarLabels(): void {
    if (this.labels.size <= MAX_LABEL_IMAGES) {
      return;
    }
    const bounds = this.map.getBounds();
    const padLon = (bounds.getEast() - bounds.getWest()) / 2;
    const padLat = (bounds.getNorth() - bounds.getSouth()) / 2;
    for (const [id, unitId] of this.labels) {
      const at = this.fleet.get(unitId);
      const far =
        at === undefined ||
        at.lon < bounds.getWest() - padLon ||
        at.lon > bounds.getEast() + padLon ||
        at.lat < bounds.getSouth() - padLat ||
        at.lat > bounds.getNorth() + padLat;
      if (far) {
        this.map.removeImage(id);
        this.labels.delete(id);
      }
    }
  }
}
