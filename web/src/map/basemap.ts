import { layers as protomapsLayers, namedFlavor } from '@protomaps/basemaps';
import type { GeoJSONSource, LayerSpecification, Map as MapLibreMap, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import { addProtocol } from 'maplibre-gl';
import { Protocol } from 'pmtiles';
import type { FeatureCollection, GeoJSON } from 'geojson';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countriesUrl from 'world-atlas/countries-10m.json?url';
import { groundLineLayers, groundSources, groundTopLayers, loadGround } from './ground';

const TILE_URL_KEY = 'bw.tileUrl';
const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };
const NATURAL_EARTH = 'Natural Earth';

const WATER = '#0a1628';
const LAND = '#1e2938';
const COAST = '#3f5f80';
const BORDER = '#f2f5fb';
const BORDER_CASING = '#04070c';

/**
 * An operator may opt into online tiles; by default nothing leaves the machine. The server names its configured tile
 * URL (BW_TILE_URL) in a meta tag, the only third-party origin its Content-Security-Policy lets the browser reach.
 */
function onlineTileUrl(): string | undefined {
  const served = document.querySelector<HTMLMetaElement>('meta[name="bw-tile-url"]')?.content;
  return localStorage.getItem(TILE_URL_KEY) ?? served ?? import.meta.env.VITE_BW_TILE_URL;
}

/**
 * The operator's offline vector tile archive (BW_TILES_PATH), served by this server with HTTP range requests: the
 * server names it in a meta tag only when one is configured.
 */
function tileArchiveUrl(): string | undefined {
  const path = document.querySelector<HTMLMetaElement>('meta[name="bw-tiles"]')?.content;
  return path === undefined || path === '' ? undefined : new URL(path, window.location.href).href;
}

const ARCHIVE_SOURCE = 'archive';
let pmtilesAdded = false;

/**
 * Protomaps' dark basemap without its labels and icons (those need glyphs and a sprite, which would be fetched: place
 * names come from the bundled ground layers instead) and without its background, so beyond the archive's extent the
 * bundled land and water still show.
 */
function archiveLayers(): LayerSpecification[] {
  const drawable = (layer: LayerSpecification) => {
    const layout = (layer as { layout?: Record<string, unknown> }).layout ?? {};
    const paint = (layer as { paint?: Record<string, unknown> }).paint ?? {};
    return (
      layer.type !== 'symbol' &&
      layer.type !== 'background' &&
      layout['icon-image'] === undefined &&
      paint['fill-pattern'] === undefined &&
      paint['line-pattern'] === undefined
    );
  };
  // Its ids ('water', 'earth', …) would clash with the bundled layers'.
  return protomapsLayers(ARCHIVE_SOURCE, namedFlavor('dark'))
    .filter(drawable)
    .map((layer) => ({ ...layer, id: `${ARCHIVE_SOURCE}-${layer.id}` }));
}

function geojsonSource(attribution?: string): SourceSpecification {
  return attribution === undefined
    ? { type: 'geojson', data: EMPTY }
    : { type: 'geojson', data: EMPTY, attribution };
}

/** A style with no glyphs and no sprite: every byte it needs is bundled with the app or served by this server. */
export function basemapStyle(): StyleSpecification {
  const tileUrl = onlineTileUrl();
  const archiveUrl = tileArchiveUrl();
  const sources: Record<string, SourceSpecification> = {
    countries: geojsonSource(NATURAL_EARTH),
    coastlines: geojsonSource(),
    borders: geojsonSource(),
    ...groundSources(),
  };
  const layers: LayerSpecification[] = [{ id: 'water', type: 'background', paint: { 'background-color': WATER } }];
  if (archiveUrl !== undefined) {
    if (!pmtilesAdded) {
      addProtocol('pmtiles', new Protocol().tile);
      pmtilesAdded = true;
    }
    layers.push({ id: 'land', type: 'fill', source: 'countries', paint: { 'fill-color': LAND } });
    sources[ARCHIVE_SOURCE] = { type: 'vector', url: `pmtiles://${archiveUrl}`, attribution: 'Protomaps' };
    layers.push(...archiveLayers());
  } else if (tileUrl === undefined) {
    layers.push({ id: 'land', type: 'fill', source: 'countries', paint: { 'fill-color': LAND } });
  } else {
    sources['tiles'] = { type: 'raster', tiles: [tileUrl], tileSize: 256 };
    layers.push({ id: 'tiles', type: 'raster', source: 'tiles', paint: { 'raster-brightness-max': 0.55 } });
  }
  layers.push(
    ...groundLineLayers(),
    {
      id: 'coastlines',
      type: 'line',
      source: 'coastlines',
      paint: { 'line-color': COAST, 'line-width': ['interpolate', ['linear'], ['zoom'], 2, 0.8, 8, 1.6] },
    },
    {
      id: 'borders-casing',
      type: 'line',
      source: 'borders',
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': BORDER_CASING, 'line-width': ['interpolate', ['linear'], ['zoom'], 2, 3, 8, 7] },
    },
    {
      id: 'borders',
      type: 'line',
      source: 'borders',
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': BORDER, 'line-width': ['interpolate', ['linear'], ['zoom'], 2, 1.2, 8, 3] },
    },
    ...groundTopLayers(),
  );
  return { version: 8, sources, layers };
}

/** Fills the basemap sources from the bundled Natural Earth TopoJSON and ground context. */
export async function loadBasemap(map: MapLibreMap, signal: AbortSignal): Promise<void> {
  await Promise.all([loadCountries(map, signal), loadGround(map, signal)]);
}

async function loadCountries(map: MapLibreMap, signal: AbortSignal): Promise<void> {
  const response = await fetch(countriesUrl, { signal });
  if (!response.ok) {
    throw new Error(`Basemap: HTTP ${response.status}`);
  }
  const topology = (await response.json()) as Topology<{ countries: GeometryCollection }>;
  const countries = topology.objects.countries;
  const setData = (id: string, data: GeoJSON) => map.getSource<GeoJSONSource>(id)?.setData(data);
  setData('countries', feature(topology, countries));
  setData('coastlines', mesh(topology, countries, (a, b) => a === b));
  // The US–Mexico border comes from the ground layers, exact to street zoom (this one is off by up to a kilometre).
  setData('borders', mesh(topology, countries, (a, b) => a !== b && !isUsMexico(String(a.id), String(b.id))));
}

/** ISO 3166 numeric codes, as world-atlas names its countries. */
const USA = '840';
const MEXICO = '484';

function isUsMexico(a: string, b: string): boolean {
  return (a === USA && b === MEXICO) || (a === MEXICO && b === USA);
}
