// Browser check of the live map against a running Borderwatch server.
// Env: BW_URL (e.g. http://127.0.0.1:18080), BW_USER, BW_PASSWORD, BW_SCREENSHOT (PNG path),
//      BW_CHROMIUM (default /usr/bin/chromium). Exit 0 when every step passed, 1 otherwise.
import { chromium } from 'playwright-core';

const UNITS_LAYER = 'units';
const UNIT_LABELS_LAYER = 'unit-labels';
const CLUSTERS_LAYER = 'unit-clusters';
/** Country borders, and the exact US–Mexico line (a surveyed line in the west, the Rio Grande east of El Paso). */
const BORDER_LAYERS = ['borders', 'ground-border', 'ground-border-river'];
// Zoomed out to the whole border, the simulator's port zones show as rings.
const FENCE_MARKERS_LAYER = 'geofence-markers';
const TRACK_LAYER = 'track';
const MIN_UNITS = 3;
const MOVE_TIMEOUT_MS = 15_000;
const LOAD_TIMEOUT_MS = 30_000;
const CARD_TIMEOUT_MS = 10_000;
// The server started seconds ago, so a unit's track is a few hundred metres: zoom in to see it.
const UNIT_ZOOM = 15;
// Fixes the track must gain while the card is open (one a second from the simulator).
const TRACK_GROWTH = 8;
// A click this close to the map's edge could land on a control or half an icon.
const CLICK_MARGIN_PX = 48;
// Fast movers draw a track long enough to see; foot patrols and boats barely move in a test's time.
const FAST_TYPES = ['drone', 'vehicle'];
// Headless Chromium composites WebGL in software and reports the read-back of every WebGL canvas;
// it comes from the browser, not from the app.
const BROWSER_NOISE = [/GPU stall due to ReadPixels/];

function env(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set`);
  }
  return value;
}

const problems = [];

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

/**
 * A drawn unit nearest the map's centre that is the topmost thing at its own pixel, in page coordinates; or a pixel
 * with no unit near it, when `empty`.
 */
function findTarget(page, empty) {
  return page.evaluate(
    ({ layers, margin, empty }) => {
      const map = window.borderwatch.map;
      const box = map.getContainer().getBoundingClientRect();
      const canvas = map.getCanvas();
      const inside = (p) =>
        p.x >= margin && p.y >= margin && p.x <= box.width - margin && p.y <= box.height - margin;
      const clear = (p) => document.elementFromPoint(box.left + p.x, box.top + p.y) === canvas;
      if (empty) {
        for (let y = margin; y < box.height - margin; y += margin) {
          for (let x = margin; x < box.width - margin; x += margin) {
            const near = [[x - margin, y - margin], [x + margin, y + margin]];
            if (clear({ x, y }) && map.queryRenderedFeatures(near, { layers }).length === 0) {
              return { x: box.left + x, y: box.top + y };
            }
          }
        }
        return null;
      }
      const centre = { x: box.width / 2, y: box.height / 2 };
      const candidates = map
        .queryRenderedFeatures({ layers: [layers[0]] })
        .map((feature) => ({ id: feature.properties.id, point: map.project(feature.geometry.coordinates) }))
        .filter(({ point }) => inside(point) && clear(point))
        .map(({ id, point }) => ({ id, point, off: Math.hypot(point.x - centre.x, point.y - centre.y) }))
        .sort((a, b) => a.off - b.off);
      for (const { id, point } of candidates) {
        const [top] = map.queryRenderedFeatures(point, { layers });
        if (top?.properties.id === id) {
          return { id, x: box.left + point.x, y: box.top + point.y };
        }
      }
      return null;
    },
    { layers: [UNITS_LAYER, UNIT_LABELS_LAYER], margin: CLICK_MARGIN_PX, empty },
  );
}

/** Points at a unit (the cursor must turn into a pointer), clicks it and waits for its card. */
async function openCard(page) {
  // Units move every second and their tiles reload several times a second: a query may find none for a frame, and
  // on a loaded machine a unit can slip from under the pointer between the hover and the click, as it would under an
  // officer's hand, who clicks again. So do we, at most three times.
  let target = null;
  for (let attempt = 1; ; attempt++) {
    target = await findTarget(page, false);
    for (let wait = 1; target === null && wait < 10; wait++) {
      await page.waitForTimeout(250);
      target = await findTarget(page, false);
    }
    check(target !== null, 'no unit on the map is clear to click');
    const last = attempt === 3;
    await page.mouse.move(target.x, target.y);
    const pointer = await page
      .waitForFunction(() => window.borderwatch.map.getCanvas().style.cursor === 'pointer', undefined, {
        timeout: last ? CARD_TIMEOUT_MS : 3_000,
      })
      .then(() => true, () => false);
    check(pointer || !last, `the cursor is not a pointer over unit ${target.id}`);
    if (!pointer) {
      continue;
    }
    await page.mouse.click(target.x, target.y);
    const opened = await page
      .getByTestId('unit-card')
      .waitFor({ state: 'visible', timeout: last ? CARD_TIMEOUT_MS : 3_000 })
      .then(() => true, () => false);
    if (opened) {
      break;
    }
    check(!last, `three clicks on moving units opened no card (last: ${target.id})`);
  }
  const shown = await page.getByTestId('unit-card-id').textContent();
  check(shown === target.id, `clicked ${target.id}, the card shows ${shown}`);
  const selected = await page.evaluate(() => window.borderwatch.selectedUnit());
  check(selected === target.id, `clicked ${target.id}, selectedUnit() is ${selected}`);
  return target.id;
}

/** Waits for the card to go and the track with it. */
async function cardClosed(page, how) {
  await page
    .getByTestId('unit-card')
    .waitFor({ state: 'hidden', timeout: CARD_TIMEOUT_MS })
    .catch(() => {
      throw new Error(`${how} did not close the unit card`);
    });
  await page
    .waitForFunction(
      (layer) =>
        window.borderwatch.selectedUnit() === null &&
        window.borderwatch.map.queryRenderedFeatures({ layers: [layer] }).length === 0,
      TRACK_LAYER,
      { timeout: CARD_TIMEOUT_MS },
    )
    .catch(() => {
      throw new Error(`after ${how} a unit is still selected or its track still drawn`);
    });
}

/** The number of vertices of the drawn track line. */
function trackVertices(page) {
  return page.evaluate(async (source) => {
    const data = await window.borderwatch.map.getSource(source).getData();
    const line = data.features.find((feature) => feature.geometry.type === 'LineString');
    return line === undefined ? 0 : line.geometry.coordinates.length;
  }, TRACK_LAYER);
}

async function run() {
  const url = env('BW_URL');
  const user = env('BW_USER');
  const password = env('BW_PASSWORD');
  const screenshot = env('BW_SCREENSHOT');
  const origin = new URL(url).origin;

  const browser = await chromium.launch({
    executablePath: process.env.BW_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    page.on('console', (message) => {
      const type = message.type();
      if ((type === 'error' || type === 'warning') && !BROWSER_NOISE.some((noise) => noise.test(message.text()))) {
        problems.push(`console ${type}: ${message.text()}`);
      }
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => {
      const target = request.url();
      if (!target.startsWith('data:') && !target.startsWith('blob:') && new URL(target).origin !== origin) {
        problems.push(`request left the server: ${target}`);
      }
    });
    page.on('websocket', (socket) => {
      if (new URL(socket.url()).host !== new URL(origin).host) {
        problems.push(`websocket left the server: ${socket.url()}`);
      }
    });

    await page.goto(url);
    await page.getByTestId('login-username').fill(user);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();

    await page.waitForFunction(
      () => window.borderwatch !== undefined || document.querySelector('[data-testid=login-error]')?.textContent,
      undefined,
      { timeout: LOAD_TIMEOUT_MS },
    );
    const loginError = await page.evaluate(() =>
      window.borderwatch === undefined ? document.querySelector('[data-testid=login-error]')?.textContent : null,
    );
    if (loginError) {
      throw new Error(`sign-in failed: ${loginError}`);
    }

    await page.waitForFunction(
      ({ units, clusters, borders, fences, min }) => {
        const app = window.borderwatch;
        return (
          app !== undefined &&
          app.units().length >= min &&
          // Zoomed out, units close together are drawn as one counted bubble.
          app.map.queryRenderedFeatures({ layers: [units, clusters] }).length >= 1 &&
          app.map.queryRenderedFeatures({ layers: borders }).length >= 1 &&
          app.map.queryRenderedFeatures({ layers: [fences] }).length >= 1
        );
      },
      { units: UNITS_LAYER, clusters: CLUSTERS_LAYER, borders: BORDER_LAYERS, fences: FENCE_MARKERS_LAYER, min: MIN_UNITS },
      { timeout: LOAD_TIMEOUT_MS },
    );

    const before = await page.evaluate(() => window.borderwatch.units().map((u) => [u.id, u.lat, u.lon]));
    const moved = await page
      .waitForFunction(
        (start) => {
          const first = new Map(start.map(([id, lat, lon]) => [id, `${lat},${lon}`]));
          const changed = window.borderwatch
            .units()
            .filter((u) => first.has(u.id) && first.get(u.id) !== `${u.lat},${u.lon}`);
          return changed.length > 0 ? changed.length : false;
        },
        before,
        { timeout: MOVE_TIMEOUT_MS },
      )
      .then((handle) => handle.jsonValue())
      .catch(() => {
        throw new Error(`no unit moved within ${MOVE_TIMEOUT_MS / 1000} s`);
      });

    const state = await page.evaluate((layer) => {
      const text = (id) => document.querySelector(`[data-testid=${id}]`)?.textContent ?? '';
      return {
        units: window.borderwatch.units().length,
        rendered: window.borderwatch.map.queryRenderedFeatures({ layers: [layer] }).length,
        counts: [...document.querySelectorAll('[data-testid=unit-counts] > *')].map((c) => c.textContent).join(', '),
        connection: text('connection-state'),
        problem: text('status-problem'),
        alerts: document.querySelectorAll('[data-testid=alert-item]').length,
      };
    }, UNITS_LAYER);
    if (state.problem !== '') {
      problems.push(`status bar reports: ${state.problem}`);
    }
    if (state.connection !== 'Live') {
      problems.push(`connection is ${state.connection}, not Live`);
    }

    // An officer zooms in on a fast unit and clicks it: its card opens and its track is drawn.
    await page.evaluate(
      ({ zoom, fast }) => {
        const units = window.borderwatch.units();
        const unit = units.find((u) => fast.includes(u.type) && u.status === 'live') ?? units[0];
        window.borderwatch.map.jumpTo({ center: [unit.lon, unit.lat], zoom });
      },
      { zoom: UNIT_ZOOM, fast: FAST_TYPES },
    );
    await page.waitForFunction(
      (layer) => window.borderwatch.map.queryRenderedFeatures({ layers: [layer] }).length >= 1,
      UNITS_LAYER,
      { timeout: LOAD_TIMEOUT_MS },
    );
    const unitId = await openCard(page);
    await page
      .waitForFunction(
        (layer) => window.borderwatch.map.queryRenderedFeatures({ layers: [layer] }).length >= 1,
        TRACK_LAYER,
        { timeout: CARD_TIMEOUT_MS },
      )
      .catch(() => {
        throw new Error(`the track of ${unitId} is not drawn`);
      });
    await page
      .waitForFunction(() => document.querySelector('[data-testid=unit-card-name]').textContent !== '', undefined, {
        timeout: CARD_TIMEOUT_MS,
      })
      .catch(() => {
        throw new Error(`the card of ${unitId} shows no name`);
      });

    // The card and the track follow the unit's new positions.
    const firstFix = await page.getByTestId('unit-card-time').textContent();
    const firstVertices = await trackVertices(page);
    await page
      .waitForFunction(
        (fix) => document.querySelector('[data-testid=unit-card-time]').textContent !== fix,
        firstFix,
        { timeout: MOVE_TIMEOUT_MS },
      )
      .catch(() => {
        throw new Error(`the card of ${unitId} did not update within ${MOVE_TIMEOUT_MS / 1000} s`);
      });
    const growBy = Date.now() + MOVE_TIMEOUT_MS;
    let vertices = firstVertices;
    while (vertices < firstVertices + TRACK_GROWTH && Date.now() < growBy) {
      await page.waitForTimeout(250);
      vertices = await trackVertices(page);
    }
    check(
      vertices >= firstVertices + TRACK_GROWTH,
      `the track of ${unitId} did not grow by ${TRACK_GROWTH} fixes (${firstVertices} → ${vertices} vertices)`,
    );

    const card = await page.evaluate((shownId) => {
      const text = (testid) => document.querySelector(`[data-testid=${testid}]`).textContent;
      const rect = (selector) => document.querySelector(selector).getBoundingClientRect().toJSON();
      return {
        name: text('unit-card-name'),
        type: text('unit-card-type'),
        status: text('unit-card-status'),
        speed: text('unit-card-speed'),
        heading: text('unit-card-heading'),
        time: text('unit-card-time'),
        age: text('unit-card-age'),
        position: text('unit-card-position'),
        box: rect('[data-testid=unit-card]'),
        statusBar: rect('[data-testid=status-bar]'),
        alerts: rect('[aria-label=Alerts]'),
        unitType: window.borderwatch.units().find((unit) => unit.id === shownId)?.type,
      };
    }, unitId);
    check(['live', 'stale', 'lost'].includes(card.status), `card status: ${card.status}`);
    check(card.type === card.unitType, `card type: ${card.type}, the unit is a ${card.unitType}`);
    check(/^(\d+ km\/h · \d+ kn|—)$/.test(card.speed), `card speed: ${card.speed}`);
    check(/^(\d{3}°|—)$/.test(card.heading), `card heading: ${card.heading}`);
    check(/^\d\d:\d\d:\d\dZ$/.test(card.time), `card last fix: ${card.time}`);
    check(/^\d+ (s|min|h) ago$/.test(card.age), `card age: ${card.age}`);
    check(/^-?\d+\.\d{5}, -?\d+\.\d{5}$/.test(card.position), `card position: ${card.position}`);
    check(card.box.top >= card.statusBar.bottom, 'the unit card covers the status bar');
    check(card.box.right <= card.alerts.left, 'the unit card covers the alert panel');

    await page.screenshot({ path: screenshot, fullPage: true });

    // Three ways to close it: the close button, Escape, a click on the empty map.
    await page.getByTestId('unit-card-close').click();
    await cardClosed(page, 'the close button');
    await openCard(page);
    await page.keyboard.press('Escape');
    await cardClosed(page, 'Escape');
    await openCard(page);
    const empty = await findTarget(page, true);
    check(empty !== null, 'no empty spot on the map to click');
    await page.mouse.click(empty.x, empty.y);
    await cardClosed(page, 'a click on the empty map');

    if (problems.length > 0) {
      throw new Error('the page misbehaved');
    }
    console.log(
      `live-map ok: ${state.units} units (${state.counts}), ${state.rendered} drawn, ${moved} moved, ` +
        `${state.alerts} alerts listed, connection ${state.connection}; card of ${unitId} ` +
        `(${card.name}, ${card.status}, ${card.speed}, ${card.heading}, ${card.time}), ` +
        `track ${firstVertices} → ${vertices} vertices; screenshot ${screenshot}`,
    );
  } finally {
    await browser.close();
  }
}

run().then(
  () => process.exit(0),
  (error) => {
    console.error(`live-map FAILED: ${error instanceof Error ? error.message : error}`);
    problems.forEach((problem) => console.error(`  ${problem}`));
    process.exit(1);
  },
);
