// History replay on the watch floor: Replay hides the live units under a REPLAY flag; two units picked in the unit
// list and the last hour are loaded from the replay stream; the window's alerts are marked on the timeline; moving
// the scrubber moves the units; playing at 60× advances the replayed time and the units; the GPX export (fetched with
// the bearer token) downloads a GPX of both units; Back to live brings the live units back.
// Expects BW_UNITS (two ids, comma-separated) with stored tracks in the last hour that cross a fence (ReplayBrowserIT).
// Env: BW_URL, BW_USER/BW_PASSWORD, BW_UNITS, BW_SCREENSHOT.
import { readFile } from 'node:fs/promises';
import { check, env, run, signIn, watchedPage } from './browser.mjs';

const STEP_TIMEOUT_MS = 15_000;

const url = env('BW_URL');
const units = env('BW_UNITS').split(',');
const began = Date.now();
function step(what) {
  console.log(`${((Date.now() - began) / 1000).toFixed(1)} s: ${what}`);
}

async function until(page, what, predicate, arg) {
  await page.waitForFunction(predicate, arg, { timeout: STEP_TIMEOUT_MS }).catch(() => {
    throw new Error(`${what} (not within ${STEP_TIMEOUT_MS / 1000} s)`);
  });
}

function replay(page) {
  return page.evaluate(() => window.borderwatch.replay());
}

/** Where the map draws each replayed unit, by id. */
async function drawn(page) {
  const features = await page.evaluate(() =>
    window.borderwatch.map.queryRenderedFeatures({ layers: ['replay-units'] })
      .map((feature) => [feature.properties.id, feature.geometry.coordinates]),
  );
  return Object.fromEntries(features);
}

/** Moves the timeline's slider to `offset` seconds into the window, as a drag does. */
async function scrub(page, offset) {
  await page.getByTestId('replay-scrubber').evaluate((slider, value) => {
    slider.value = String(value);
    slider.dispatchEvent(new Event('input', { bubbles: true }));
  }, offset);
}

run('replay', async (browser, problems) => {
  const page = await watchedPage(browser, url, problems);
  await signIn(page, url, env('BW_USER'), env('BW_PASSWORD'), units.length);
  await page.evaluate(() => {
    window.borderwatch.map.jumpTo({ center: [-106.47, 31.72], zoom: 10.5 });
  });
  await until(page, 'the live units are not drawn', () =>
    window.borderwatch.map.queryRenderedFeatures({ layers: ['units'] }).length >= 2);

  // Replay mode: the live units leave, the flag says REPLAY.
  await page.getByTestId('replay-toggle').click();
  await page.getByTestId('replay-panel').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  check((await page.getByTestId('replay-flag').textContent()).startsWith('REPLAY'), 'no REPLAY flag');
  await until(page, 'live units still drawn while replaying', () =>
    window.borderwatch.map.queryRenderedFeatures({ layers: ['units'] }).length === 0);
  for (const id of units) {
    await page.locator(`[data-testid=unit-row][data-unit-id="${id}"]`).click();
  }
  const chips = await page.getByTestId('replay-units').textContent();
  check(units.every((id) => chips.includes(id)), `units picked: ${chips}`);
  await page.getByTestId('replay-range').selectOption('hour');
  await page.getByTestId('replay-load').click();
  await until(page, 'the replay did not load', () => window.borderwatch.replay().fixes > 0);
  const loaded = await replay(page);
  check(loaded.units.length === units.length, `units replayed: ${JSON.stringify(loaded.units.map((u) => u.id))}`);
  check(/\d+ fixes, 2 units/.test(await page.getByTestId('replay-status').textContent()), 'no fix count');
  await page.locator('[data-testid=replay-alert-mark]').first().waitFor({ timeout: STEP_TIMEOUT_MS });
  const marks = await page.locator('[data-testid=replay-alert-mark]').count();
  step(`loaded ${loaded.fixes} fixes, ${marks} alert marks`);

  // The scrubber moves the units.
  const start = Number(await page.getByTestId('replay-scrubber').inputValue());
  await scrub(page, start + 60);
  await until(page, 'the replayed units are not drawn', (n) =>
    window.borderwatch.map.queryRenderedFeatures({ layers: ['replay-units'] }).length === n, units.length);
  const early = await drawn(page);
  await scrub(page, start + 15 * 60);
  await until(page, 'the scrubber did not move the units', ([id, lon]) =>
    window.borderwatch.map.queryRenderedFeatures({ layers: ['replay-units'] })
      .some((f) => f.properties.id === id && Math.abs(f.geometry.coordinates[0] - lon) > 0.01), [units[0], early[units[0]][0]]);
  const later = await drawn(page);
  for (const id of units) {
    check(JSON.stringify(early[id]) !== JSON.stringify(later[id]), `${id} did not move with the scrubber`);
  }
  const flag = await page.getByTestId('replay-flag').textContent();
  check(/^REPLAY \d\d:\d\d:\d\dZ · 1×$/.test(flag), `flag: ${flag}`);
  step('scrubbed');

  // Play at 60×: the replayed time runs a minute per second, and the units with it.
  await scrub(page, start + 60);
  await page.getByTestId('replay-speed').selectOption('60');
  const before = await replay(page);
  await page.getByTestId('replay-play').click();
  await page.waitForTimeout(2_000);
  const playing = await replay(page);
  check(playing.playing, 'not playing');
  check(playing.time - before.time >= 60_000, `replayed ${(playing.time - before.time) / 1000} s in 2 s at 60×`);
  check(JSON.stringify(playing.units) !== JSON.stringify(before.units), 'the units did not move while playing');
  await page.getByTestId('replay-play').click();
  check(!(await replay(page)).playing, 'did not pause');
  check((await page.getByTestId('replay-flag').textContent()).endsWith('· 60×'), 'the flag does not show the speed');
  step('played and paused');

  await scrub(page, start + 20 * 60);
  await page.waitForTimeout(400);
  await page.screenshot({ path: env('BW_SCREENSHOT') });

  // Export what is shown: a GPX of both units, fetched with the token and saved as a file.
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: STEP_TIMEOUT_MS }),
    page.getByTestId('replay-export-gpx').click(),
  ]);
  const gpx = await readFile(await download.path(), 'utf8');
  check(gpx.includes('<gpx') && units.every((id) => gpx.includes(id)), `export is no GPX of both: ${gpx.slice(0, 200)}`);
  check(download.suggestedFilename().endsWith('.gpx'), `file name ${download.suggestedFilename()}`);
  step(`exported ${download.suggestedFilename()}`);

  // Back to live.
  await page.getByTestId('replay-exit').click();
  await until(page, 'the live units did not come back', () =>
    window.borderwatch.map.queryRenderedFeatures({ layers: ['units'] }).length >= 2 &&
    window.borderwatch.map.queryRenderedFeatures({ layers: ['replay-units'] }).length === 0);
  check(await page.getByTestId('replay-flag').isHidden(), 'the REPLAY flag stayed');
  return `${loaded.fixes} fixes replayed, ${marks} alerts marked, scrubbed, played at 60×, GPX exported`;
});
