import type { Feature, LineString, Point } from 'geojson';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import { REPLAY_COLOR } from '../palette';
import type { ReplayedUnit } from '../replay';
import type { UnitType } from '../types';
import { IMAGE } from './icons';
import { LABEL_MIN_ZOOM } from './units';

const SOURCE = 'replay-units';
const TRAILS_SOURCE = 'replay-trails';
export const REPLAY_UNITS_LAYER = 'replay-units';
const LABELS_LAYER = 'replay-labels';
const TRAILS_CASING_LAYER = 'replay-trails-casing';
const TRAILS_LAYER = 'replay-trails';
const LAYERS = [TRAILS_CASING_LAYER, TRAILS_LAYER, LABELS_LAYER, REPLAY_UNITS_LAYER];

/**
 * Units where a history replay has them: icons of their type in the replay colour (never a live status colour), the
 * trail each has left since the window began, and labels zoomed in. Drawn above everything live, which the app hides
 * while replaying.
 */
export class ReplayLayer {
  constructor(
    private readonly map: MapLibreMap,
    private readonly typeOf: (unitId: string) => UnitType,
  ) {
    map.addSource(SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addSource(TRAILS_SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({
      id: TRAILS_CASING_LAYER,
      type: 'line',
      source: TRAILS_SOURCE,
      layout: { 'line-join': 'round', 'line-cap': 'round', visibility: 'none' },
      paint: { 'line-color': '#000000', 'line-width': 7, 'line-opacity': 0.7 },
    });
    map.addLayer({
      id: TRAILS_LAYER,
      type: 'line',
      source: TRAILS_SOURCE,
      layout: { 'line-join': 'round', 'line-cap': 'round', visibility: 'none' },
      paint: { 'line-color': REPLAY_COLOR, 'line-width': 3.5 },
    });
    map.addLayer({
      id: LABELS_LAYER,
      type: 'symbol',
      source: SOURCE,
      minzoom: LABEL_MIN_ZOOM,
      layout: {
        'icon-image': ['concat', 'l:live:', ['get', 'id']],
        'icon-anchor': 'top',
        'icon-offset': [0, 20],
        'icon-padding': 1,
        visibility: 'none',
      },
    });
    map.addLayer({
      id: REPLAY_UNITS_LAYER,
      type: 'symbol',
      source: SOURCE,
      layout: {
        'icon-image': ['get', 'icon'],
        'icon-rotate': ['get', 'rotation'],
        'icon-rotation-alignment': 'map',
        'icon-allow-overlap': true,
        'icon-ignore-placement': true,
        visibility: 'none',
      },
    });
  }

  setVisible(shown: boolean): void {
    for (const layer of LAYERS) {
      this.map.setLayoutProperty(layer, 'visibility', shown ? 'visible' : 'none');
    }
  }

  show(units: readonly ReplayedUnit[]): void {
    const points: Feature<Point>[] = [];
    const trails: Feature<LineString>[] = [];
    for (const unit of units) {
      const type = this.typeOf(unit.id);
      points.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [unit.lon, unit.lat] },
        properties: {
          id: unit.id,
          icon: IMAGE.unit(type, REPLAY_COLOR),
          rotation: type === 'sensor' ? 0 : (unit.heading ?? 0),
        },
      });
      if (unit.trail.length > 1) {
        trails.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: unit.trail }, properties: {} });
      }
    }
    void this.map.getSource<GeoJSONSource>(SOURCE)?.setData({ type: 'FeatureCollection', features: points });
    void this.map.getSource<GeoJSONSource>(TRAILS_SOURCE)?.setData({ type: 'FeatureCollection', features: trails });
  }

  clear(): void {
    this.show([]);
  }

  remove(): void {
    for (const layer of [...LAYERS].reverse()) {
      this.map.removeLayer(layer);
    }
    this.map.removeSource(SOURCE);
    this.map.removeSource(TRAILS_SOURCE);
  }
}
