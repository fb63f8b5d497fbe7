// Ground context at street zoom near El Paso / Ciudad Juárez: town names, the Texas–New Mexico state line, the Rio
// Grande (the exact border line), a fence's name; the pointer's position in decimal degrees and MGRS; the
// range-and-bearing tool between two points; and, with an offline tile archive configured, tiles read from /tiles.
// Env: BW_URL, BW_USER, BW_PASSWORD, BW_SCREENSHOT, BW_FENCE (a fence's name near El Paso),
//      BW_ARCHIVE=1 when the server has BW_TILES_PATH. Exit 0 when every step passed, 1 otherwise.
import fs from 'node:fs';
import mgrsLib from 'mgrs';
import { mesh } from 'topojson-client';
import { api, check, env, run, signIn, watchedPage } from './browser.mjs';

const STEP_TIMEOUT_MS = 15_000;
const url = env('BW_URL');
const archive = process.env.BW_ARCHIVE === '1';
const EL_PASO = [-106.4869, 31.7587];
const VIEW = { center: [-106.47, 31.75], zoom: 11 };
/** Metres a screen pixel spans at zoom 11 at this latitude (MapLibre's 512-pixel tiles). */
const PIXEL_M = (40_075_016 * Math.cos((31.75 * Math.PI) / 180)) / (512 * 2 ** 11);

/**
 * A patrol on the US bank of the Rio Grande east of El Paso, where Natural Earth's US–Mexico line (the old basemap's)
 * runs 2 km north of the river: the old map drew it inside Mexico. The river runs south-east here: the patrol is
 * placed north-east of where it crosses LEVEE_LON.
 */
const LEVEE_LON = -106.33;
const LEVEE_OFFSET_DEG = [0.006, 0.002];

/** Latitudes where the lines cross a meridian. */
function latitudesAt(lines, lon) {
  const found = [];
  for (const line of lines) {
    for (let i = 1; i < line.length; i++) {
      const [a, b] = [line[i - 1], line[i]];
      if ((a[0] - lon) * (b[0] - lon) <= 0 && a[0] !== b[0]) {
        found.push(a[1] + ((b[1] - a[1]) * (lon - a[0])) / (b[0] - a[0]));
      }
    }
  }
  return found;
}

/** Where the bundled (exact) border and Natural Earth's border cross a meridian near the levee. */
function borderLatitudes(lon) {
  const ground = JSON.parse(fs.readFileSync(new URL('../generated/ground.json', import.meta.url), 'utf8'));
  const exact = latitudesAt(ground.border.features.flatMap((f) => f.geometry.coordinates), lon);
  const topology = JSON.parse(
    fs.readFileSync(new URL('../node_modules/world-atlas/countries-10m.json', import.meta.url), 'utf8'),
  );
  const usMexico = (a, b) => [a.id, b.id].sort().join() === '484,840';
  const coarse = latitudesAt(mesh(topology, topology.objects.countries, usMexico).coordinates, lon);
  check(exact.length === 1 && coarse.length === 1, `one border crossing at ${lon}: ${exact} / ${coarse}`);
  return { exact: exact[0], coarse: coarse[0] };
}

/** Great-circle distance (km) and initial true bearing (degrees), worked out here apart from the app's own code. */
function rangeAndBearing([lon1, lat1], [lon2, lat2]) {
  const k = Math.PI / 180;
  const dLat = (lat2 - lat1) * k;
  const dLon = (lon2 - lon1) * k;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * k) * Math.cos(lat2 * k) * Math.sin(dLon / 2) ** 2;
  const km = 2 * 6371.0088 * Math.asin(Math.sqrt(a));
  const y = Math.sin(dLon) * Math.cos(lat2 * k);
  const x = Math.cos(lat1 * k) * Math.sin(lat2 * k) - Math.sin(lat1 * k) * Math.cos(lat2 * k) * Math.cos(dLon);
  return { km, bearing: ((Math.atan2(y, x) / k) % 360 + 360) % 360 };
}

/** Features of the given layers drawn on screen now, as plain data. */
function rendered(page, layers) {
  return page.evaluate((ids) => {
    const { map } = window.borderwatch;
    const present = ids.filter((id) => map.getLayer(id) !== undefined);
    return map.queryRenderedFeatures({ layers: present }).map((f) => ({ layer: f.layer.id, ...f.properties }));
  }, layers);
}

async function settle(page) {
  await page.evaluate(
    () =>
      new Promise((resolve) => {
        const { map } = window.borderwatch;
        if (map.loaded() && map.areTilesLoaded()) {
          resolve(undefined);
        } else {
          map.once('idle', () => resolve(undefined));
        }
      }),
  );
}

/** Page coordinates of a map point (the canvas may not start at the page's corner). */
async function pagePoint(page, lonLat) {
  return page.evaluate((point) => {
    const { map } = window.borderwatch;
    const { x, y } = map.project(point);
    const box = map.getCanvas().getBoundingClientRect();
    return { x: Math.round(box.left + x), y: Math.round(box.top + y) };
  }, lonLat);
}

/** The map point under a page pixel. */
function mapPoint(page, { x, y }) {
  return page.evaluate(
    ([px, py]) => {
      const { map } = window.borderwatch;
      const box = map.getCanvas().getBoundingClientRect();
      const { lng, lat } = map.unproject([px - box.left, py - box.top]);
      return [lng, lat];
    },
    [x, y],
  );
}

run('ground', async (browser, problems) => {
  const page = await watchedPage(browser, url, problems);
  const tileAnswers = [];
  page.on('response', (response) => {
    if (new URL(response.url()).pathname === '/tiles/archive.pmtiles') {
      tileAnswers.push({ status: response.status(), range: response.request().headers()['range'] ?? null });
    }
  });
  await signIn(page, url, env('BW_USER'), env('BW_PASSWORD'));
  await page.waitForFunction(() => window.borderwatch.fenceLabels().length > 0, null, { timeout: STEP_TIMEOUT_MS });
  await page.evaluate((view) => {
    window.borderwatch.map.jumpTo(view);
  }, VIEW);
  // The bundled ground file loads once; wait until its names are drawn.
  await page.waitForFunction(
    () => window.borderwatch.map.queryRenderedFeatures({ layers: ['ground-places-1'] }).length > 0,
    null,
    { timeout: STEP_TIMEOUT_MS },
  );
  await settle(page);

  const placeLayers = [1, 2, 3, 4, 5].map((rank) => `ground-places-${rank}`);
  const places = new Set((await rendered(page, placeLayers)).map((f) => f.name));
  check(places.has('El Paso') && places.has('Juárez'), `town names at zoom 11: ${[...places].join(', ')}`);
  const stateLines = await rendered(page, ['ground-state-lines']);
  check(stateLines.length > 0, 'the Texas–New Mexico state line is drawn');
  const river = await rendered(page, ['ground-border-river']);
  check(river.length > 0, 'the Rio Grande (the border east of El Paso) is drawn');
  const land = (await rendered(page, ['ground-border'])).filter((f) => f.kind === 'land');
  check(land.length > 0, 'the land border west of El Paso is drawn');
  const fences = (await rendered(page, ['geofence-labels'])).map((f) => f.name);
  check(fences.includes(env('BW_FENCE')), `fence labels drawn: ${fences.join(', ')}`);

  // The pointer over a known point: decimal degrees and MGRS in the status bar.
  const at = await pagePoint(page, EL_PASO);
  await page.mouse.move(at.x, at.y);
  const under = await mapPoint(page, at);
  await page.waitForFunction(() => document.querySelector('[data-testid=cursor-decimal]')?.textContent !== '', null, {
    timeout: STEP_TIMEOUT_MS,
  });
  const decimal = await page.getByTestId('cursor-decimal').textContent();
  const [lat, lon] = decimal.split(',').map(Number);
  check(Math.abs(lat - EL_PASO[1]) < 0.001 && Math.abs(lon - EL_PASO[0]) < 0.001, `decimal readout "${decimal}"`);
  const mgrs = await page.getByTestId('cursor-mgrs').textContent();
  check(/^13R [A-Z]{2} \d{5} \d{5}$/.test(mgrs), `MGRS readout "${mgrs}" (El Paso lies in grid zone 13R)`);
  // The readout is of the pixel under the pointer: within a pixel (~32 m at zoom 11) of the point it was moved to.
  const expected = mgrsLib.forward(under, 5);
  const [, square, easting, northing] = /^13R([A-Z]{2})(\d{5})(\d{5})$/.exec(expected);
  const [, shownSquare, shownE, shownN] = mgrs.split(' ');
  const within = (shown, exact) => Math.abs(Number(shown) - Number(exact)) <= PIXEL_M;
  check(
    shownSquare === square && within(shownE, easting) && within(shownN, northing),
    `MGRS readout "${mgrs}", expected about ${expected}`,
  );

  // Range and bearing: two clicks a good way apart, then Escape.
  await page.getByTestId('range-toggle').click();
  const box = await page.evaluate(() => {
    const rect = window.borderwatch.map.getCanvas().getBoundingClientRect();
    return { left: rect.left, top: rect.top, width: rect.width, height: rect.height };
  });
  const first = { x: Math.round(box.left + box.width * 0.25), y: Math.round(box.top + box.height * 0.3) };
  const second = { x: Math.round(box.left + box.width * 0.7), y: Math.round(box.top + box.height * 0.75) };
  await page.mouse.click(first.x, first.y);
  await page.mouse.move(second.x - 40, second.y - 40, { steps: 4 });
  check((await page.evaluate(() => window.borderwatch.range()?.fixed)) === false, 'the line follows the pointer');
  await page.mouse.click(second.x, second.y);
  const [from, to] = [await mapPoint(page, first), await mapPoint(page, second)];
  const truth = rangeAndBearing(from, to);
  const label = await page.getByTestId('range-readout').textContent();
  const parts = /^([\d.]+) km · ([\d.]+) nm · (\d{3})° T$/.exec(label);
  check(parts !== null, `range label "${label}"`);
  const [km, nm, bearing] = parts.slice(1).map(Number);
  const close = (shown, exact) => Math.abs(shown - exact) / exact < 0.01;
  const truthNm = truth.km / 1.852;
  check(close(km, truth.km), `range ${km} km, expected ${truth.km.toFixed(2)} km`);
  check(close(nm, truthNm), `range ${nm} nm, expected ${truthNm.toFixed(2)}`);
  check(close(bearing, truth.bearing), `bearing ${bearing}°, expected ${truth.bearing.toFixed(1)}°`);
  const selected = await page.evaluate(() => window.borderwatch.selectedUnit());
  check(selected === null, 'measuring does not pick units');
  await settle(page);
  await page.screenshot({ path: env('BW_SCREENSHOT') });

  await page.keyboard.press('Escape');
  check((await page.evaluate(() => window.borderwatch.range())) === null, 'Escape clears the range line');
  check(!(await page.getByTestId('range-readout').isVisible()), 'Escape removes the range label');

  // A patrol on the US bank at street zoom: drawn north of the exact border, and the coarse line is gone.
  const crossing = borderLatitudes(LEVEE_LON).exact;
  const patrol = [LEVEE_LON + LEVEE_OFFSET_DEG[0], crossing + LEVEE_OFFSET_DEG[1]];
  const border = borderLatitudes(patrol[0]);
  check(border.exact < patrol[1], 'the test point lies north of the exact border');
  check(border.coarse > patrol[1], 'the test point lies south of the coarse line (the old map put it in Mexico)');
  const admin = await api(url, env('BW_USER'), env('BW_PASSWORD'));
  await admin.post('/api/v1/units', { id: 'BP-7', name: 'Levee patrol', type: 'vehicle' });
  await admin.post('/api/v1/positions', [
    { unitId: 'BP-7', time: new Date().toISOString(), lat: patrol[1], lon: patrol[0], speed: 8 },
  ]);
  await page.waitForFunction(() => window.borderwatch.units().some((u) => u.id === 'BP-7'), null, {
    timeout: STEP_TIMEOUT_MS,
  });
  await page.evaluate((center) => window.borderwatch.map.jumpTo({ center, zoom: 12 }), patrol);
  await settle(page);
  const side = await page.evaluate(
    ([unit, onBorder]) => {
      const { map } = window.borderwatch;
      const u = map.project(unit);
      const b = map.project(onBorder);
      const strip = [[u.x - 2, u.y - 200], [u.x + 2, u.y + 200]];
      return {
        unitY: u.y,
        borderY: b.y,
        exactDrawn: map.queryRenderedFeatures(strip, { layers: ['ground-border'] }).length,
        coarseDrawn: map.queryRenderedFeatures({ layers: ['borders'] }).length,
        unitDrawn: map.queryRenderedFeatures(strip, { layers: ['units'] }).some((f) => f.properties.id === 'BP-7'),
      };
    },
    [patrol, [patrol[0], border.exact]],
  );
  check(side.exactDrawn > 0 && side.unitDrawn, `the patrol and the exact border are drawn: ${JSON.stringify(side)}`);
  check(side.borderY - side.unitY > 15, `the border is drawn south of the patrol: ${JSON.stringify(side)}`);
  check(side.coarseDrawn === 0, 'the coarse Natural Earth border is not drawn over the exact one');
  await page.screenshot({ path: env('BW_SCREENSHOT').replace(/\.png$/, '-levee.png') });
  const coarseKm = ((border.coarse - patrol[1]) * 111.2).toFixed(1);

  let tiles = 'no archive configured';
  if (archive) {
    const partial = tileAnswers.filter((answer) => answer.status === 206 && answer.range !== null);
    check(partial.length > 0, `the map reads the archive by range from /tiles: ${JSON.stringify(tileAnswers)}`);
    const earth = await page.evaluate(() => {
      const { map } = window.borderwatch;
      const ids = map.getStyle().layers.filter((layer) => layer.source === 'archive').map((layer) => layer.id);
      return map.queryRenderedFeatures({ layers: ids }).length;
    });
    check(earth > 0, 'features from the archive are drawn');
    tiles = `${partial.length} range answers from /tiles, ${earth} archive features drawn`;
  } else {
    check(tileAnswers.length === 0, 'no archive is asked for when none is configured');
  }
  return `${places.size} places, ${stateLines.length} state line pieces, river drawn; cursor ${decimal} / ${mgrs}; ` +
    `range "${label}" (expected ${truth.km.toFixed(2)} km, ${truth.bearing.toFixed(1)}°); patrol drawn ` +
    `${Math.round(side.borderY - side.unitY)} px north of the border (Natural Earth's line: ${coarseKm} km north of ` +
    `it); ${tiles}`;
});
