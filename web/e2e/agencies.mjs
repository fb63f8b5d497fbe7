// Joint operations: a viewer of one agency sees its own units and the ones shared with it, and nothing of another
// agency's unshared units: not in the list, not on the map, not in any frame of the live stream. A viewer gets no ack
// controls. Coloured by agency, the legend names both agencies whose units it shows.
// Env: BW_URL, BW_USER, BW_PASSWORD (the viewer), BW_SEES and BW_HIDDEN (unit ids, comma-separated), BW_SCREENSHOT.
import { check, env, run, signIn, watchedPage } from './browser.mjs';

const STEP_TIMEOUT_MS = 10_000;
const url = env('BW_URL');
const sees = env('BW_SEES').split(',');
const hidden = env('BW_HIDDEN').split(',');

run('agencies', async (browser, problems) => {
  const page = await watchedPage(browser, url, problems);
  const leaks = [];
  page.on('websocket', (socket) =>
    socket.on('framereceived', ({ payload }) => {
      const text = String(payload);
      hidden.filter((id) => text.includes(`"${id}"`)).forEach((id) => leaks.push(`${id} in a frame`));
    }),
  );
  await signIn(page, url, env('BW_USER'), env('BW_PASSWORD'), sees.length);
  // Give the registry and the stream a moment to bring anything they would.
  await page.waitForTimeout(2_000);

  const fleet = await page.evaluate(() => window.borderwatch.units().map((unit) => unit.id).sort());
  check(JSON.stringify(fleet) === JSON.stringify([...sees].sort()), `the app knows ${fleet.join(', ')}`);
  const listed = await page.evaluate(() => [...document.querySelectorAll('[data-testid=unit-row]')].map((row) => row.dataset.unitId));
  check(JSON.stringify(listed.sort()) === JSON.stringify([...sees].sort()), `the list shows ${listed.join(', ')}`);
  await page.getByTestId('unit-search').fill(hidden[0]);
  await page.waitForTimeout(100);
  const none = await page.getByTestId('unit-list-empty').textContent();
  check(none === 'No unit matches', `searching ${hidden[0]} shows "${none}"`);
  await page.getByTestId('unit-search').fill('');

  // Zoomed in on the units: every one it may see is drawn, none other.
  await page.evaluate(() => {
    const units = window.borderwatch.units();
    const lons = units.map((u) => u.lon);
    const lats = units.map((u) => u.lat);
    window.borderwatch.map.fitBounds([[Math.min(...lons), Math.min(...lats)], [Math.max(...lons), Math.max(...lats)]], {
      padding: 150,
      maxZoom: 12,
      animate: false,
    });
  });
  await page.waitForFunction(
    (count) => new Set(window.borderwatch.map.queryRenderedFeatures({ layers: ['units'] }).map((f) => f.properties.id)).size === count,
    sees.length,
    { timeout: STEP_TIMEOUT_MS },
  ).catch(() => {
    throw new Error(`the map does not draw the ${sees.length} units the viewer may see`);
  });
  const drawn = await page.evaluate(() => window.borderwatch.map.queryRenderedFeatures({ layers: ['units'] }).map((f) => f.properties.id));
  check(drawn.every((id) => sees.includes(id)), `the map draws ${drawn.join(', ')}`);

  const controls = await page.evaluate(() => ({
    ack: [...document.querySelectorAll('[data-testid=alert-ack]')].filter((b) => b.offsetParent !== null).length,
    bulk: document.querySelector('[data-testid=alert-bulk]').hidden,
  }));
  check(controls.ack === 0 && controls.bulk, `a viewer has ack controls: ${JSON.stringify(controls)}`);

  await page.getByTestId('legend-mode-agency').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=legend-entries] li').length >= 4, null, {
    timeout: STEP_TIMEOUT_MS,
  });
  const legend = await page.getByTestId('legend-entries').textContent();
  check(/Federal agency/.test(legend) && /State agency/.test(legend), `the agency legend reads "${legend}"`);
  await page.screenshot({ path: env('BW_SCREENSHOT') });
  check(leaks.length === 0, `the stream carried hidden units: ${leaks.join(', ')}`);

  return `${env('BW_USER')} sees ${fleet.join(', ')}; ${hidden.join(', ')} in no list, map or frame; legend "${legend}"`;
});
