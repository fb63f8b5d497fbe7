import type { Feature, FeatureCollection, Point } from 'geojson';
import type { GeoJSONSource, Map as MapLibreMap, MapMouseEvent, Subscription } from 'maplibre-gl';
import type { Unit, UnitStatus } from '../types';
import { addLabelIcon, addUnitIcons, labelIconName, removeLabelIcon, unitIconName } from './icons';
import { TrailLayer } from './trails';

const SOURCE = 'units';
const UNITS_LAYER = 'units';
const LABELS_LAYER = 'unit-labels';
/** Layers that must stay under the unit icons and labels are inserted before this one. */
export const UNITS_BOTTOM_LAYER = LABELS_LAYER;

/** Higher draws on top: a live unit is never hidden under a lost one. */
const DRAW_RANK: Record<UnitStatus, number> = { lost: 0, stale: 1, live: 2 };

/** Unit icons (by type, rotated by heading, coloured by status), their labels and trails; a click picks a unit. */
export class UnitLayer {
  private readonly units = new Map<string, Unit>();
  /** Label images stay until the layer goes: a tile may still draw a departed unit for a frame or two. */
  private readonly labelled = new Set<string>();
  private readonly trails: TrailLayer;
  private frame: number | null = null;
  private picked: (unitId: string | null) => void = () => undefined;
  private readonly subscriptions: Subscription[];

  constructor(
    private readonly map: MapLibreMap,
    private readonly rendered: (units: ReadonlyMap<string, Unit>) => void,
  ) {
    addUnitIcons(map);
    this.trails = new TrailLayer(map);
    map.addSource(SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({
      id: LABELS_LAYER,
      type: 'symbol',
      source: SOURCE,
      layout: {
        'icon-image': ['get', 'label'],
        'icon-anchor': 'top',
        'icon-offset': [0, 20],
        'icon-padding': 1,
        'symbol-sort-key': ['get', 'rank'],
      },
    });
    map.addLayer({
      id: UNITS_LAYER,
      type: 'symbol',
      source: SOURCE,
      layout: {
        'icon-image': ['get', 'icon'],
        'icon-rotate': ['get', 'rotation'],
        'icon-rotation-alignment': 'map',
        'icon-allow-overlap': true,
        'icon-ignore-placement': true,
        'symbol-sort-key': ['get', 'rank'],
      },
    });
    const canvas = map.getCanvas();
    this.subscriptions = [
      map.on('mouseenter', [UNITS_LAYER, LABELS_LAYER], () => (canvas.style.cursor = 'pointer')),
      map.on('mouseleave', [UNITS_LAYER, LABELS_LAYER], () => (canvas.style.cursor = '')),
      map.on('click', (event) => this.picked(this.unitAt(event))),
    ];
  }

  /** Registers who hears of clicks on the map: the clicked unit's id, or null for a click beside every unit. */
  onPick(handler: (unitId: string | null) => void): void {
    this.picked = handler;
  }

  /** The server's full picture after a (re)connect: units not in it are gone. */
  replaceAll(units: readonly Unit[]): void {
    const incoming = new Set(units.map((unit) => unit.id));
    for (const id of this.units.keys()) {
      if (!incoming.has(id)) {
        this.units.delete(id);
        this.trails.forget(id);
      }
    }
    this.update(units);
  }

  update(units: readonly Unit[]): void {
    for (const unit of units) {
      if (!this.labelled.has(unit.id)) {
        addLabelIcon(this.map, unit.id);
        this.labelled.add(unit.id);
      }
      this.units.set(unit.id, unit);
      this.trails.record(unit);
    }
    this.requestFrame();
  }

  setStatus(unitId: string, status: UnitStatus): void {
    const unit = this.units.get(unitId);
    if (unit !== undefined) {
      this.units.set(unitId, { ...unit, status });
      this.requestFrame();
    }
  }

  get(unitId: string): Unit | undefined {
    return this.units.get(unitId);
  }

  all(): Unit[] {
    return [...this.units.values()];
  }

  remove(): void {
    if (this.frame !== null) {
      cancelAnimationFrame(this.frame);
    }
    this.subscriptions.forEach((subscription) => subscription.unsubscribe());
    this.map.getCanvas().style.cursor = '';
    this.map.removeLayer(UNITS_LAYER);
    this.map.removeLayer(LABELS_LAYER);
    this.map.removeSource(SOURCE);
    this.labelled.forEach((id) => removeLabelIcon(this.map, id));
    this.trails.remove();
  }

  /** The topmost unit whose icon or label is under the pointer. */
  private unitAt(event: MapMouseEvent): string | null {
    const [top] = this.map.queryRenderedFeatures(event.point, { layers: [UNITS_LAYER, LABELS_LAYER] });
    const id: unknown = top?.properties['id'];
    return typeof id === 'string' ? id : null;
  }

  /** Coalesces any number of updates into one setData per animation frame. */
  private requestFrame(): void {
    this.frame ??= requestAnimationFrame(() => {
      this.frame = null;
      this.render();
    });
  }

  private render(): void {
    const features: Feature<Point>[] = [];
    for (const unit of this.units.values()) {
      features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [unit.lon, unit.lat] },
        properties: {
          id: unit.id,
          icon: unitIconName(unit.type, unit.status),
          label: labelIconName(unit.id),
          rotation: unit.type === 'sensor' ? 0 : (unit.heading ?? 0),
          rank: DRAW_RANK[unit.status],
        },
      });
    }
    const data: FeatureCollection<Point> = { type: 'FeatureCollection', features };
    this.map.getSource<GeoJSONSource>(SOURCE)?.setData(data);
    this.trails.render(this.units);
    this.rendered(this.units);
  }
}
