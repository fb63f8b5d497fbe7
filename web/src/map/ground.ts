import type { FeatureCollection } from 'geojson';
import type { GeoJSONSource, LayerSpecification, Map as MapLibreMap } from 'maplibre-gl';
// Built by scripts/ground.mjs from GeoNames, Census, OpenStreetMap and Natural Earth data (see web/README.md).
import groundUrl from '../../generated/ground.json?url';
import { LABEL, PLACE_DOT_CSS_PX } from './labels';

interface Ground {
  places: FeatureCollection;
  stateLines: FeatureCollection;
  stateLabels: FeatureCollection;
  border: FeatureCollection;
  rivers: FeatureCollection;
}

const RIVER = '#2f6fa8';
const STATE_LINE = '#7d8fa6';
const BORDER = '#f2f5fb';
const BORDER_CASING = '#04070c';

/** Place labels by rank (1: over 500,000 people … 5: over 2,000): the zoom each rank appears from. */
const PLACE_MIN_ZOOM = [0, 4, 6, 7.5, 9, 10.5];
/** Natural Earth's rivers are ~1 km coarse: at street zoom only the exact Rio Grande (the border line) is drawn. */
const COARSE_RIVERS_MAX_ZOOM = 10;
/** The border's line widths grow from this zoom to street zoom. */
const BORDER_WIDE_FROM_ZOOM = 5;

export const GROUND_SOURCES = {
  places: 'ground-places',
  stateLines: 'ground-state-lines',
  stateLabels: 'ground-state-labels',
  border: 'ground-border',
  rivers: 'ground-rivers',
} as const;

export const GROUND_LAYERS = {
  rivers: 'ground-rivers',
  stateLines: 'ground-state-lines',
  riverBorder: 'ground-border-river',
  borderCasing: 'ground-border-casing',
  border: 'ground-border',
  riverLabel: 'ground-river-label',
  stateLabels: 'ground-state-labels',
  places: (rank: number) => `ground-places-${rank}`,
} as const;

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** The ground layers' sources, empty until `loadGround` fills them. */
export function groundSources(): Record<string, { type: 'geojson'; data: FeatureCollection; attribution?: string }> {
  return {
    [GROUND_SOURCES.places]: { type: 'geojson', data: EMPTY, attribution: 'GeoNames' },
    [GROUND_SOURCES.stateLines]: { type: 'geojson', data: EMPTY, attribution: 'US Census Bureau' },
    [GROUND_SOURCES.stateLabels]: { type: 'geojson', data: EMPTY },
    [GROUND_SOURCES.border]: { type: 'geojson', data: EMPTY, attribution: '© OpenStreetMap contributors' },
    [GROUND_SOURCES.rivers]: { type: 'geojson', data: EMPTY },
  };
}

/** Rivers and state lines: drawn under the country borders. */
export function groundLineLayers(): LayerSpecification[] {
  return [
    {
      id: GROUND_LAYERS.rivers,
      type: 'line',
      source: GROUND_SOURCES.rivers,
      maxzoom: COARSE_RIVERS_MAX_ZOOM,
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': RIVER, 'line-width': ['interpolate', ['linear'], ['zoom'], 4, 1, 9, 2.5] },
    },
    {
      id: GROUND_LAYERS.stateLines,
      type: 'line',
      source: GROUND_SOURCES.stateLines,
      minzoom: 4,
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': STATE_LINE,
        'line-width': ['interpolate', ['linear'], ['zoom'], 4, 1, 10, 2.2],
        'line-dasharray': [4, 2],
      },
    },
  ];
}

/** The exact US–Mexico border (the Rio Grande part edged in blue), then the names of states, rivers and places. */
export function groundTopLayers(): LayerSpecification[] {
  const width = (low: number, high: number) =>
    ['interpolate', ['linear'], ['zoom'], BORDER_WIDE_FROM_ZOOM, low, 12, high] as unknown as number;
  const layers: LayerSpecification[] = [
    {
      id: GROUND_LAYERS.riverBorder,
      type: 'line',
      source: GROUND_SOURCES.border,
      minzoom: 6,
      filter: ['==', ['get', 'kind'], 'river'],
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': '#3b8fd9', 'line-width': width(5, 14), 'line-opacity': 0.9 },
    },
    {
      id: GROUND_LAYERS.borderCasing,
      type: 'line',
      source: GROUND_SOURCES.border,
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': BORDER_CASING, 'line-width': width(4, 7) },
    },
    {
      id: GROUND_LAYERS.border,
      type: 'line',
      source: GROUND_SOURCES.border,
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': BORDER, 'line-width': width(1.5, 3) },
    },
    {
      id: GROUND_LAYERS.riverLabel,
      type: 'symbol',
      source: GROUND_SOURCES.border,
      minzoom: 8,
      filter: ['==', ['get', 'kind'], 'river'],
      layout: {
        'symbol-placement': 'line',
        'symbol-spacing': 600,
        'icon-image': ['concat', LABEL.river, ['get', 'name']],
        'icon-rotation-alignment': 'map',
        'icon-keep-upright': true,
        // The image holds the name in its lower half (see labels.ts): it lies beside the border, which stays readable.
      },
    },
    {
      id: GROUND_LAYERS.stateLabels,
      type: 'symbol',
      source: GROUND_SOURCES.stateLabels,
      minzoom: 4.5,
      maxzoom: 9,
      layout: { 'icon-image': ['concat', LABEL.state, ['get', 'name']], 'icon-allow-overlap': false },
    },
  ];
  // MapLibre places the topmost layer's symbols first: the largest places go on top, so a village yields to a city.
  for (let rank = PLACE_MIN_ZOOM.length - 1; rank >= 1; rank--) {
    layers.push({
      id: GROUND_LAYERS.places(rank),
      type: 'symbol',
      source: GROUND_SOURCES.places,
      minzoom: PLACE_MIN_ZOOM[rank] ?? 11,
      filter: ['==', ['get', 'rank'], rank],
      layout: {
        'icon-image': ['concat', LABEL.place, String(rank), ':', ['get', 'name']],
        'icon-anchor': 'left',
        'icon-offset': [-PLACE_DOT_CSS_PX, 0],
        'symbol-sort-key': ['-', ['get', 'population']],
        'icon-padding': 4,
      },
    });
  }
  return layers;
}

/** Fills the ground sources from the bundled file; its name is hashed, so the browser caches it for good. */
export async function loadGround(map: MapLibreMap, signal: AbortSignal): Promise<void> {
  const response = await fetch(groundUrl, { signal });
  if (!response.ok) {
    throw new Error(`Ground context: HTTP ${response.status}`);
  }
  const ground = (await response.json()) as Ground;
  for (const [key, source] of Object.entries(GROUND_SOURCES) as [keyof Ground, string][]) {
    map.getSource<GeoJSONSource>(source)?.setData(ground[key]);
  }
}
