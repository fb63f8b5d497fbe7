import type { Feature, FeatureCollection, LineString, Point } from 'geojson';
import { Marker, type FilterSpecification, type GeoJSONSource, type Map as MapLibreMap } from 'maplibre-gl';
import { el } from '../dom';
import type { Fleet } from '../fleet';
import { distanceMeters, etaSeconds, formatDistance, formatEta, type LonLat } from '../geo';
import { DISPATCH_COLOR } from '../palette';
import type { Alert, FleetUnit } from '../types';

const SOURCE = 'dispatch';
const CASING_LAYER = 'dispatch-casing';
const LINE_LAYER = 'dispatch-line';
const TARGET_LAYER = 'dispatch-target';
export const HALO_LAYER = 'dispatch-halo';

/** A unit on its way: where it is sent, how far it still has to go and when it should be there. */
export interface Route {
  alertId: string;
  unitId: string;
  meters: number;
  etaSeconds: number;
}

interface Label {
  marker: Marker;
  text: HTMLElement;
}

/** An alert a unit was sent to and has not reached: it is still being worked (neither arrived nor acknowledged). */
export function enRoute(alert: Alert): boolean {
  return alert.assignedUnitId !== undefined && alert.arrivedAt === undefined && alert.ackedBy === undefined;
}

/**
 * Dispatch on the map: for each unit sent to an alert, a line from its live position to the alert's place, labelled
 * with the distance left and an ETA that follow the unit as it moves, gone when it arrives; and, for the alert the
 * operator picked, a halo around its nearest patrol (a thinner ring around the next two), or around the unit sent.
 */
export class DispatchLayer {
  private readonly alerts = new Map<string, Alert>();
  private readonly labels = new Map<string, Label>();
  private selected: string | null = null;
  private routes: Route[] = [];
  private halo: string[] = [];
  /** The units whose moves change the picture: the ones sent and the ones ringed. */
  private watched = new Set<string>();
  private frame: number | null = null;

  constructor(
    private readonly map: MapLibreMap,
    private readonly fleet: Fleet,
    beforeId: string,
  ) {
    map.addSource(SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    const lines: FilterSpecification = ['==', ['geometry-type'], 'LineString'];
    map.addLayer(
      {
        id: HALO_LAYER,
        type: 'circle',
        source: SOURCE,
        filter: ['==', ['get', 'role'], 'halo'],
        paint: {
          'circle-radius': ['case', ['get', 'first'], 27, 22],
          'circle-color': DISPATCH_COLOR,
          'circle-opacity': ['case', ['get', 'first'], 0.22, 0],
          'circle-stroke-color': DISPATCH_COLOR,
          'circle-stroke-width': ['case', ['get', 'first'], 4, 2],
          'circle-stroke-opacity': ['case', ['get', 'first'], 1, 0.7],
        },
      },
      beforeId,
    );
    map.addLayer(
      {
        id: CASING_LAYER,
        type: 'line',
        source: SOURCE,
        filter: lines,
        layout: { 'line-cap': 'round' },
        paint: { 'line-color': '#000000', 'line-width': 7, 'line-opacity': 0.7 },
      },
      beforeId,
    );
    map.addLayer(
      {
        id: LINE_LAYER,
        type: 'line',
        source: SOURCE,
        filter: lines,
        layout: { 'line-cap': 'round' },
        paint: { 'line-color': DISPATCH_COLOR, 'line-width': 3.5, 'line-dasharray': [2, 1.2] },
      },
      beforeId,
    );
    map.addLayer(
      {
        id: TARGET_LAYER,
        type: 'circle',
        source: SOURCE,
        filter: ['==', ['get', 'role'], 'target'],
        paint: {
          'circle-radius': 9,
          'circle-color': 'rgba(0, 0, 0, 0)',
          'circle-stroke-color': DISPATCH_COLOR,
          'circle-stroke-width': 3,
        },
      },
      beforeId,
    );
    fleet.onChange(({ updated, removed }) => {
      if (updated.some((unit) => this.watched.has(unit.id)) || removed.some((id) => this.watched.has(id))) {
        this.renderSoon();
      }
    });
  }

  /** Every alert the list holds, after each change. */
  setAlerts(alerts: Iterable<Alert>): void {
    this.alerts.clear();
    for (const alert of alerts) {
      if (enRoute(alert) || alert.id === this.selected) {
        this.alerts.set(alert.id, alert);
      }
    }
    this.renderSoon();
  }

  /** The alert the operator picked (null: none); its patrols are ringed. */
  select(alert: Alert | null): void {
    this.selected = alert?.id ?? null;
    if (alert !== null) {
      this.alerts.set(alert.id, alert);
    }
    this.render();
  }

  /** The units ringed for the picked alert, the most prominent first. */
  highlighted(): string[] {
    return [...this.halo];
  }

  current(): Route[] {
    return this.routes.map((route) => ({ ...route }));
  }

  /** Where the picked alert's ringed unit is, to bring it into view with the alert. */
  haloAt(): LonLat | undefined {
    const unit = this.halo[0] === undefined ? undefined : this.fleet.get(this.halo[0]);
    return unit === undefined ? undefined : [unit.lon, unit.lat];
  }

  remove(): void {
    if (this.frame !== null) {
      cancelAnimationFrame(this.frame);
    }
    this.labels.forEach((label) => label.marker.remove());
    this.labels.clear();
    for (const layer of [TARGET_LAYER, LINE_LAYER, CASING_LAYER, HALO_LAYER]) {
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
    const features: Feature<Point | LineString>[] = [];
    const routes: Route[] = [];
    const watched = new Set<string>();
    for (const alert of this.alerts.values()) {
      const unitId = alert.assignedUnitId;
      if (!enRoute(alert) || unitId === undefined) {
        continue;
      }
      watched.add(unitId);
      const unit = this.fleet.get(unitId);
      if (unit === undefined) {
        continue; // not known (yet) on this map: the list still says who was sent
      }
      const from: LonLat = [unit.lon, unit.lat];
      const to: LonLat = [alert.lon, alert.lat];
      const meters = distanceMeters(from, to);
      const listed = alert.nearest?.find((near) => near.unitId === unitId);
      routes.push({ alertId: alert.id, unitId, meters, etaSeconds: etaSeconds(meters, unit.speed, unit.type, listed) });
      features.push(
        {
          type: 'Feature',
          geometry: { type: 'LineString', coordinates: [[...from], [...to]] },
          properties: { role: 'route' },
        },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [...to] }, properties: { role: 'target' } },
      );
    }
    this.halo = this.haloUnits();
    this.halo.forEach((unitId, i) => {
      watched.add(unitId);
      const unit = this.fleet.get(unitId) as FleetUnit;
      features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [unit.lon, unit.lat] },
        properties: { role: 'halo', first: i === 0, unitId },
      });
    });
    this.watched = watched;
    this.routes = routes;
    const data: FeatureCollection<Point | LineString> = { type: 'FeatureCollection', features };
    void this.map.getSource<GeoJSONSource>(SOURCE)?.setData(data);
    this.renderLabels();
  }

  /** The picked alert's unit on its way, else its nearest patrols the map knows, nearest first. */
  private haloUnits(): string[] {
    const alert = this.selected === null ? undefined : this.alerts.get(this.selected);
    if (alert === undefined) {
      return [];
    }
    if (enRoute(alert) && alert.assignedUnitId !== undefined) {
      return this.fleet.get(alert.assignedUnitId) === undefined ? [] : [alert.assignedUnitId];
    }
    if (alert.arrivedAt !== undefined || alert.ackedBy !== undefined) {
      return [];
    }
    return (alert.nearest ?? []).map((near) => near.unitId).filter((id) => this.fleet.get(id) !== undefined);
  }

  /** One label per route, half-way along it: DOM, so the style needs no glyphs; moved, not rebuilt, as units move. */
  private renderLabels(): void {
    const live = new Set<string>();
    for (const route of this.routes) {
      const alert = this.alerts.get(route.alertId) as Alert;
      const unit = this.fleet.get(route.unitId) as FleetUnit;
      live.add(route.alertId);
      let label = this.labels.get(route.alertId);
      if (label === undefined) {
        const text = el('span', { class: 'dispatch-label-text' });
        const element = el('div', { class: 'dispatch-label', testid: 'dispatch-label' }, text);
        element.dataset['alertId'] = route.alertId;
        label = { marker: new Marker({ element }).setLngLat([unit.lon, unit.lat]).addTo(this.map), text };
        this.labels.set(route.alertId, label);
      }
      label.marker.setLngLat([(unit.lon + alert.lon) / 2, (unit.lat + alert.lat) / 2]);
      const element = label.marker.getElement();
      element.dataset['unitId'] = route.unitId;
      element.dataset['meters'] = String(Math.round(route.meters));
      element.dataset['etaSeconds'] = String(Math.round(route.etaSeconds));
      const text = `${route.unitId} · ${formatDistance(route.meters)} · ETA ${formatEta(route.etaSeconds)}`;
      if (label.text.textContent !== text) {
        label.text.textContent = text;
      }
    }
    for (const [alertId, label] of this.labels) {
      if (!live.has(alertId)) {
        label.marker.remove();
        this.labels.delete(alertId);
      }
    }
  }
}
