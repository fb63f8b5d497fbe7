import type { Feature, FeatureCollection, LineString } from 'geojson';
import { Marker, type GeoJSONSource, type Map as MapLibreMap } from 'maplibre-gl';
import { el } from '../dom';
import type { LonLat } from '../geo';
import { DETECTION_COLOR } from '../palette';
import type { Detection } from '../types';

const SOURCE = 'detection-rays';
const LAYER = 'detection-rays';
/** How long a detection stays on the map, fading all the while (the stylesheet's animation lasts as long). */
export const DETECTION_SHOWN_MS = 120_000;
/** The rays fade in steps this far apart: a setData every few seconds, never a redraw per frame. */
const SWEEP_MS = 4_000;
/** A storm of detections keeps the newest; the alert list holds them all. */
const MAX_SHOWN = 60;

interface Shown {
  detection: Detection;
  marker: Marker;
  /** From the sensor to the detection, when it was placed along the sensor's bearing. */
  ray: [LonLat, LonLat] | null;
  shownAt: number;
}

/**
 * Detections as they stream in: a pulsing marker where each was placed that fades away over two minutes, and a line
 * from the sensor when it was placed along a bearing. The pulse and fade are CSS animations of a small DOM marker,
 * run by the compositor: the map itself redraws only when a marker or ray comes or goes.
 */
export class DetectionLayer {
  private readonly shown: Shown[] = [];
  private readonly sweep: number;

  constructor(
    private readonly map: MapLibreMap,
    private readonly sensorAt: (sensorId: string) => LonLat | undefined,
    beforeId: string,
  ) {
    map.addSource(SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer(
      {
        id: LAYER,
        type: 'line',
        source: SOURCE,
        layout: { 'line-cap': 'round' },
        paint: {
          'line-color': DETECTION_COLOR,
          'line-width': 2.5,
          'line-dasharray': [1, 1.5],
          'line-opacity': ['get', 'opacity'],
        },
      },
      beforeId,
    );
    this.sweep = window.setInterval(() => this.expire(), SWEEP_MS);
  }

  add(detection: Detection): void {
    if (this.shown.some((shown) => shown.detection.id === detection.id)) {
      return; // sent again after a reconnect
    }
    const at: LonLat = [detection.lon, detection.lat];
    const sensor = this.sensorAt(detection.sensorId);
    const alongBearing = detection.bearing !== null && detection.rangeMeters !== null;
    const ray: [LonLat, LonLat] | null = alongBearing && sensor !== undefined ? [sensor, at] : null;
    const label = `${detection.kind} detected by ${detection.sensorId}`;
    const element = el(
      'div',
      {
        class: 'detection-marker',
        testid: 'detection-marker',
        attrs: { title: label, 'aria-label': label, role: 'img' },
      },
      el('span', { class: 'detection-pulse' }),
      el('span', { class: 'detection-dot' }),
    );
    element.dataset['detectionId'] = detection.id;
    element.dataset['sensorId'] = detection.sensorId;
    element.dataset['alertId'] = detection.alertId ?? '';
    const marker = new Marker({ element }).setLngLat([at[0], at[1]]).addTo(this.map);
    this.shown.push({ detection, marker, ray, shownAt: Date.now() });
    while (this.shown.length > MAX_SHOWN) {
      this.shown.shift()?.marker.remove();
    }
    this.renderRays();
  }

  /** The detections still shown, oldest first: for the browser tests. */
  current(): Detection[] {
    return this.shown.map((shown) => shown.detection);
  }

  remove(): void {
    window.clearInterval(this.sweep);
    this.shown.splice(0).forEach((shown) => shown.marker.remove());
    this.map.removeLayer(LAYER);
    this.map.removeSource(SOURCE);
  }

  private expire(): void {
    const now = Date.now();
    let changed = false;
    while (this.shown.length > 0 && now - (this.shown[0] as Shown).shownAt >= DETECTION_SHOWN_MS) {
      this.shown.shift()?.marker.remove();
      changed = true;
    }
    if (changed || this.shown.some((shown) => shown.ray !== null)) {
      this.renderRays();
    }
  }

  private renderRays(): void {
    const now = Date.now();
    const features: Feature<LineString>[] = [];
    for (const { ray, shownAt } of this.shown) {
      if (ray !== null) {
        const opacity = Math.max(0.1, 0.9 * (1 - (now - shownAt) / DETECTION_SHOWN_MS));
        features.push({
          type: 'Feature',
          geometry: { type: 'LineString', coordinates: [[ray[0][0], ray[0][1]], [ray[1][0], ray[1][1]]] },
          properties: { opacity },
        });
      }
    }
    const data: FeatureCollection<LineString> = { type: 'FeatureCollection', features };
    void this.map.getSource<GeoJSONSource>(SOURCE)?.setData(data);
  }
}
