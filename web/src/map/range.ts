import type { FeatureCollection } from 'geojson';
import { Marker, type GeoJSONSource, type Map as MapLibreMap, type MapMouseEvent } from 'maplibre-gl';
import { el } from '../dom';
import { bearingDegrees, destination, distanceMeters, METERS_PER_NM, type LonLat } from '../geo';

const SOURCE = 'range';
const LINE_LAYER = 'range-line';
const ENDS_LAYER = 'range-ends';
const COLOR = '#ffe14d';
/** The line is drawn along the great circle, in steps this long at most, so long ranges bend as bearings do. */
const STEP_M = 5_000;

export interface RangeReading {
  from: [number, number];
  to: [number, number];
  km: number;
  nm: number;
  /** True bearing from the first point to the second, degrees clockwise from north. */
  bearing: number;
  /** False while the second point still follows the pointer. */
  fixed: boolean;
}

/**
 * The range-and-bearing tool: when armed, a click sets the first point, the pointer (or a second click) the second; the
 * line shows distance in km and nautical miles and the true bearing. Another click starts again; Escape puts it away.
 */
export class RangeTool {
  readonly button: HTMLButtonElement;
  private armed = false;
  private from: [number, number] | null = null;
  private to: [number, number] | null = null;
  private fixed = false;
  private readonly label: Marker;
  private readonly labelText: HTMLElement;
  private readonly click = (event: MapMouseEvent) => this.clicked(event);
  private readonly move = (event: MapMouseEvent) => this.moved(event);
  private readonly key = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && (this.armed || this.from !== null)) {
      this.disarm();
    }
  };

  constructor(private readonly map: MapLibreMap) {
    map.addSource(SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({
      id: LINE_LAYER,
      type: 'line',
      source: SOURCE,
      filter: ['==', ['geometry-type'], 'LineString'],
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': COLOR, 'line-width': 3, 'line-dasharray': [3, 1.5] },
    });
    map.addLayer({
      id: ENDS_LAYER,
      type: 'circle',
      source: SOURCE,
      filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-radius': 6, 'circle-color': COLOR, 'circle-stroke-color': '#000000', 'circle-stroke-width': 2 },
    });
    this.labelText = el('div', { class: 'range-label', testid: 'range-readout' });
    this.label = new Marker({ element: this.labelText, anchor: 'bottom', offset: [0, -10] });
    this.button = el('button', {
      class: 'range-toggle',
      text: 'Range',
      testid: 'range-toggle',
      attrs: { type: 'button', 'aria-pressed': 'false', title: 'Range and bearing: click two points (Esc clears)' },
    });
    this.button.addEventListener('click', () => (this.armed ? this.disarm() : this.arm()));
    map.on('click', this.click);
    map.on('mousemove', this.move);
    document.addEventListener('keydown', this.key);
  }

  /** True while the tool takes the map's clicks (a click then does not pick a unit). */
  get active(): boolean {
    return this.armed;
  }

  current(): RangeReading | null {
    if (this.from === null || this.to === null) {
      return null;
    }
    const meters = distanceMeters(this.from, this.to);
    return {
      from: this.from,
      to: this.to,
      km: meters / 1000,
      nm: meters / METERS_PER_NM,
      bearing: bearingDegrees(this.from, this.to),
      fixed: this.fixed,
    };
  }

  remove(): void {
    document.removeEventListener('keydown', this.key);
    this.map.off('click', this.click);
    this.map.off('mousemove', this.move);
    this.label.remove();
    this.button.remove();
    this.map.removeLayer(ENDS_LAYER);
    this.map.removeLayer(LINE_LAYER);
    this.map.removeSource(SOURCE);
  }

  private arm(): void {
    this.armed = true;
    this.button.setAttribute('aria-pressed', 'true');
    this.map.getCanvas().style.cursor = 'crosshair';
  }

  private disarm(): void {
    this.armed = false;
    this.from = null;
    this.to = null;
    this.fixed = false;
    this.button.setAttribute('aria-pressed', 'false');
    this.map.getCanvas().style.cursor = '';
    this.draw();
  }

  private clicked(event: MapMouseEvent): void {
    if (!this.armed) {
      return;
    }
    const point = lonLat(event);
    if (this.from === null || this.fixed) {
      this.from = point;
      this.to = null;
      this.fixed = false;
    } else {
      this.to = point;
      this.fixed = true;
    }
    this.draw();
  }

  private moved(event: MapMouseEvent): void {
    if (this.armed && this.from !== null && !this.fixed) {
      this.to = lonLat(event);
      this.draw();
    }
  }

  private draw(): void {
    const reading = this.current();
    const data: FeatureCollection = { type: 'FeatureCollection', features: [] };
    if (this.from !== null) {
      data.features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: this.from }, properties: {} });
    }
    if (reading === null) {
      this.label.remove();
    } else {
      data.features.push(
        {
          type: 'Feature',
          geometry: { type: 'LineString', coordinates: greatCircle(reading.from, reading.to) },
          properties: {},
        },
        { type: 'Feature', geometry: { type: 'Point', coordinates: reading.to }, properties: {} },
      );
      this.labelText.textContent = describe(reading);
      this.labelText.dataset['km'] = reading.km.toFixed(3);
      this.labelText.dataset['bearing'] = reading.bearing.toFixed(1);
      const mid = destination(reading.from, reading.bearing, (reading.km * 1000) / 2);
      this.label.setLngLat(mid).addTo(this.map);
    }
    this.map.getSource<GeoJSONSource>(SOURCE)?.setData(data);
  }
}

function lonLat(event: MapMouseEvent): [number, number] {
  const { lng, lat } = event.lngLat.wrap();
  return [lng, lat];
}

/** "12.4 km · 6.7 nm · 045° T". */
export function describe(reading: Pick<RangeReading, 'km' | 'nm' | 'bearing'>): string {
  const km = reading.km < 10 ? reading.km.toFixed(2) : reading.km.toFixed(1);
  const nm = reading.nm < 10 ? reading.nm.toFixed(2) : reading.nm.toFixed(1);
  const bearing = String(Math.round(reading.bearing) % 360).padStart(3, '0');
  return `${km} km · ${nm} nm · ${bearing}° T`;
}

function greatCircle(from: LonLat, to: LonLat): [number, number][] {
  const meters = distanceMeters(from, to);
  const steps = Math.max(1, Math.ceil(meters / STEP_M));
  const points: [number, number][] = [[from[0], from[1]]];
  for (let i = 1; i < steps; i++) {
    // Bearing from the start changes along a great circle: re-aim at the target from each intermediate point.
    const here = points[points.length - 1] ?? [from[0], from[1]];
    points.push(destination(here, bearingDegrees(here, to), meters / steps));
  }
  points.push([to[0], to[1]]);
  return points;
}
