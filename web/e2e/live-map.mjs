// Browser check of the live map against a running Borderwatch server.
// Env: BW_URL (e.g. http://127.0.0.1:18080), BW_USER, BW_PASSWORD, BW_SCREENSHOT (PNG path),
//      BW_CHROMIUM (default /usr/bin/chromium). Exit 0 when every step passed, 1 otherwise.
import { chromium } from 'playwright-core';

const UNITS_LAYER = 'units';
const BORDERS_LAYER = 'borders';
// Zoomed out to the whole border, the simulator's port zones show as rings.
const FENCE_MARKERS_LAYER = 'geofence-markers';
const MIN_UNITS = 3;
const MOVE_TIMEOUT_MS = 15_000;
const LOAD_TIMEOUT_MS = 30_000;
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
      ({ units, borders, fences, min }) => {
        const app = window.borderwatch;
        return (
          app !== undefined &&
          app.units().length >= min &&
          app.map.queryRenderedFeatures({ layers: [units] }).length >= 1 &&
          app.map.queryRenderedFeatures({ layers: [borders] }).length >= 1 &&
          app.map.queryRenderedFeatures({ layers: [fences] }).length >= 1
        );
      },
      { units: UNITS_LAYER, borders: BORDERS_LAYER, fences: FENCE_MARKERS_LAYER, min: MIN_UNITS },
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

    await page.screenshot({ path: screenshot, fullPage: true });

    if (problems.length > 0) {
      throw new Error('the page misbehaved');
    }
    console.log(
      `live-map ok: ${state.units} units (${state.counts}), ${state.rendered} drawn, ${moved} moved, ` +
        `${state.alerts} alerts listed, connection ${state.connection}, screenshot ${screenshot}`,
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
