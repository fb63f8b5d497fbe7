// Browser benchmark (not a test): the watch-floor map with N units (default 10,000) each reporting once a second,
// zoomed out over the whole border and zoomed in on a town, idle and while the map is dragged. Reports frames per
// second (requestAnimationFrame, and MapLibre's own repaints), main-thread busy time (Chrome's TaskDuration and
// ScriptDuration), long tasks, and the time to rebuild the units' source data.
// The script drives the units itself: it creates them over the API (once) and posts their positions every second,
// batched, as an admin. Run against a node started on its own (java -jar server/target/borderwatch.jar).
// "map alone" hides the unit layers while dragging: the frame rate the machine's WebGL gives the basemap by itself.
// Chrome runs WebGL in its GPU process as a desktop browser does (SwiftShader where there is no GPU).
// Env: BW_URL, BW_USER, BW_PASSWORD (an admin), BW_UNITS (10000), BW_SECONDS (per measurement, 15),
//      BW_LOAD (0: do not move the units), BW_MIN_UNITS (units to wait for, default all), BW_PROFILE (1: print
//      the main thread's busiest functions),
//      BW_BENCH_OUT (a JSON file for the figures, optional), BW_SCREENSHOT (optional).
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { check, env, launch, signIn, watchedPage } from './browser.mjs';

const url = env('BW_URL');
const user = env('BW_USER');
const password = env('BW_PASSWORD');
const UNITS = Number(process.env.BW_UNITS ?? 10_000);
const SECONDS = Number(process.env.BW_SECONDS ?? 15);
const BATCH = 1000;
const CONCURRENCY = 4;
const TYPES = ['vehicle', 'drone', 'foot', 'boat', 'aircraft', 'sensor'];
// A band along the border from Tijuana to Brownsville, half a degree deep.
const WEST = -117;
const EAST = -97.5;
const SOUTH = 31.2;
const DEPTH = 0.5;

async function call(token, method, path, body) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
}

async function pool(items, concurrency, work) {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
        await work(item);
      }
    }),
  );
}

const unitId = (i) => `SIM-${String(i).padStart(5, '0')}`;

/** Unit i's position at second s: a slow loop around its home, about 15 m a second. */
function position(i, s) {
  const homeLon = WEST + ((EAST - WEST) * (i + 0.5)) / UNITS;
  const homeLat = SOUTH + DEPTH * (((i * 7919) % 1000) / 1000);
  const angle = s / 60 + i;
  return { lon: homeLon + 0.005 * Math.cos(angle), lat: homeLat + 0.005 * Math.sin(angle), heading: ((angle * 180) / Math.PI + 90) % 360 };
}

async function createUnits(token) {
  const started = Date.now();
  let created = 0;
  await pool(Array.from({ length: UNITS }, (_, i) => i), 8, async (i) => {
    const status = await call(token, 'POST', '/api/v1/units', { id: unitId(i), name: `Sim ${i}`, type: TYPES[i % TYPES.length] });
    check(status === 201 || status === 409 || status === 400, `creating ${unitId(i)}: HTTP ${status}`);
    created += status === 201 ? 1 : 0;
  });
  console.log(`units: ${created} created, ${UNITS - created} there already, in ${Date.now() - started} ms`);
}

/** Posts every unit's position once a second, batched; returns a stop function and the achieved rate. */
function drive(token) {
  let second = 0;
  let running = true;
  let sent = 0;
  let late = 0;
  const started = Date.now();
  const loop = async () => {
    while (running) {
      const tick = Date.now();
      const time = new Date(tick).toISOString();
      const batches = [];
      for (let from = 0; from < UNITS; from += BATCH) {
        const batch = [];
        for (let i = from; i < Math.min(UNITS, from + BATCH); i++) {
          const { lon, lat, heading } = position(i, second);
          batch.push({ unitId: unitId(i), time, lat, lon, speed: 15, heading });
        }
        batches.push(batch);
      }
      await pool(batches, CONCURRENCY, async (batch) => {
        const status = await call(token, 'POST', '/api/v1/positions', batch);
        if (status === 202) {
          sent += batch.length;
        }
      });
      second += 1;
      const took = Date.now() - tick;
      if (took > 1000) {
        late += 1;
      } else {
        await new Promise((resolve) => setTimeout(resolve, 1000 - took));
      }
    }
  };
  const done = loop();
  return {
    stop: async () => {
      running = false;
      await done;
    },
    rate: () => ({ perSecond: Math.round(sent / ((Date.now() - started) / 1000)), lateSeconds: late }),
  };
}

const UNIT_LAYERS = ['units', 'unit-labels', 'unit-flags', 'unit-clusters', 'trails'];

function showUnits(page, shown) {
  return page.evaluate(
    ({ layers, shown }) =>
      layers.forEach((layer) => window.borderwatch.map.setLayoutProperty(layer, 'visibility', shown ? 'visible' : 'none')),
    { layers: UNIT_LAYERS, shown },
  );
}

/**
 * One measurement: `pan` drags the map back and forth with the mouse, as an officer would; `bare` hides the unit
 * layers, to show what the map alone costs on this machine.
 */
async function measure(page, cdp, label, pan, bare = false) {
  if (bare) {
    await showUnits(page, false);
  }
  const metrics = async () => {
    const { metrics: list } = await cdp.send('Performance.getMetrics');
    return Object.fromEntries(list.map(({ name, value }) => [name, value]));
  };
  const before = await metrics();
  const box = await page.getByTestId('map').boundingBox();
  const counting = page.evaluate(
    async ({ ms }) => {
      const map = window.borderwatch.map;
      let frames = 0;
      let repaints = 0;
      const longTasks = [];
      const observer = new PerformanceObserver((list) => list.getEntries().forEach((entry) => longTasks.push(entry.duration)));
      observer.observe({ type: 'longtask' });
      const onRender = () => (repaints += 1);
      map.on('render', onRender);
      const builds = window.borderwatch.renderMs().length;
      const t0 = performance.now();
      await new Promise((resolve) => {
        const tick = (now) => {
          frames += 1;
          if (now - t0 < ms) {
            requestAnimationFrame(tick);
          } else {
            resolve();
          }
        };
        requestAnimationFrame(tick);
      });
      const seconds = (performance.now() - t0) / 1000;
      map.off('render', onRender);
      observer.disconnect();
      const rebuilds = window.borderwatch.renderMs().slice(-Math.max(1, window.borderwatch.renderMs().length - builds));
      const sorted = [...rebuilds].sort((a, b) => a - b);
      return {
        fps: frames / seconds,
        repaintsPerSecond: repaints / seconds,
        longTasks: longTasks.length,
        longestTaskMs: Math.max(0, ...longTasks),
        rebuildMedianMs: sorted[Math.floor(sorted.length / 2)] ?? 0,
        rebuildsPerSecond: rebuilds.length / seconds,
        seconds,
        zoom: map.getZoom(),
        drawn: map.queryRenderedFeatures({ layers: ['units'] }).length,
        clusters: map.queryRenderedFeatures({ layers: ['unit-clusters'] }).length,
        units: window.borderwatch.units().length,
      };
    },
    { ms: SECONDS * 1000 },
  );
  if (pan) {
    // A real drag, with the mouse: the map moves under the pointer and settles only when the button is released.
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    const t0 = Date.now();
    await page.mouse.move(x, y);
    await page.mouse.down();
    while (Date.now() - t0 < SECONDS * 1000 - 200) {
      const phase = (Date.now() - t0) / 1500;
      await page.mouse.move(x + 150 * Math.sin(phase), y + 60 * Math.sin(phase * 0.7));
    }
    await page.mouse.up();
  }
  const inPage = await counting;
  const after = await metrics();
  if (bare) {
    await showUnits(page, true);
  }
  const wall = inPage.seconds;
  const result = {
    label,
    load: loadavg()[0],
    ...inPage,
    mainThreadBusy: (after.TaskDuration - before.TaskDuration) / wall,
    scriptBusy: (after.ScriptDuration - before.ScriptDuration) / wall,
  };
  console.log(
    `${label.padEnd(24)} ${result.fps.toFixed(1)} fps, ${result.repaintsPerSecond.toFixed(1)} map repaints/s, ` +
      `main thread ${(result.mainThreadBusy * 100).toFixed(0)}% busy (script ${(result.scriptBusy * 100).toFixed(0)}%), ` +
      `${result.longTasks} long tasks (max ${result.longestTaskMs.toFixed(0)} ms), ` +
      `rebuild ${result.rebuildMedianMs.toFixed(1)} ms × ${result.rebuildsPerSecond.toFixed(2)}/s, ` +
      `zoom ${result.zoom.toFixed(1)}, ${result.drawn} icons + ${result.clusters} clusters drawn, ${result.units} units known, ` +
      `machine load ${result.load.toFixed(1)}`,
  );
  return result;
}

/** With BW_PROFILE: the main thread's 15 busiest functions (self time) over a few seconds, for finding hot spots. */
async function profile(cdp, label) {
  if (!process.env.BW_PROFILE) {
    return;
  }
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.start');
  await new Promise((resolve) => setTimeout(resolve, 8_000));
  const { profile: data } = await cdp.send('Profiler.stop');
  const self = new Map();
  const byId = new Map(data.nodes.map((node) => [node.id, node]));
  const interval = (data.endTime - data.startTime) / data.samples.length / 1000;
  for (const id of data.samples) {
    const { functionName, url: file, lineNumber } = byId.get(id).callFrame;
    const key = `${functionName || '(anonymous)'} ${file.split('/').pop()}:${lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + interval);
  }
  const total = (data.endTime - data.startTime) / 1000;
  console.log(`profile, ${label} (${(total / 1000).toFixed(1)} s):`);
  [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .forEach(([key, ms]) => console.log(`  ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${key}`));
}

const login = await fetch(`${url}/api/v1/login`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ username: user, password }),
});
check(login.ok, `sign-in failed: HTTP ${login.status}`);
const { token } = await login.json();
await createUnits(token);
const load = process.env.BW_LOAD === '0' ? { stop: async () => undefined, rate: () => ({ perSecond: 0, lateSeconds: 0 }) } : drive(token);
const browser = await launch({ gpu: true });
const problems = [];
const results = [];
try {
  const page = await watchedPage(browser, url, problems);
  await signIn(page, url, user, password, Math.min(UNITS, Number(process.env.BW_MIN_UNITS ?? UNITS)));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.waitForTimeout(5_000);

  await profile(cdp, 'zoomed out, idle');
  results.push(await measure(page, cdp, 'zoomed out, map alone', true, true));
  results.push(await measure(page, cdp, 'zoomed out, idle', false));
  results.push(await measure(page, cdp, 'zoomed out, dragging', true));
  if (process.env.BW_SCREENSHOT) {
    await page.screenshot({ path: process.env.BW_SCREENSHOT.replace(/\.png$/, '-out.png') });
  }
  await page.evaluate(() => window.borderwatch.map.jumpTo({ center: [-106.45, 31.45], zoom: 11 }));
  await page.waitForTimeout(5_000); // the new box's snapshot, labels drawn
  await profile(cdp, 'zoomed in, idle');
  results.push(await measure(page, cdp, 'zoomed in, map alone', true, true));
  results.push(await measure(page, cdp, 'zoomed in (z11), idle', false));
  results.push(await measure(page, cdp, 'zoomed in (z11), dragging', true));
  if (process.env.BW_SCREENSHOT) {
    await page.screenshot({ path: process.env.BW_SCREENSHOT.replace(/\.png$/, '-in.png') });
  }
  const rate = load.rate();
  console.log(`load: ${rate.perSecond} positions/s accepted, ${rate.lateSeconds} seconds the posting ran late`);
  if (process.env.BW_BENCH_OUT) {
    writeFileSync(process.env.BW_BENCH_OUT, JSON.stringify({ units: UNITS, seconds: SECONDS, load: rate, results }, null, 2));
  }
  if (problems.length > 0) {
    console.log(`page problems:\n  ${problems.join('\n  ')}`);
  }
} finally {
  await load.stop();
  await browser.close();
}
