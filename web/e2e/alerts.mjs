// An operator's alert handling: a critical alert arrives with its sound cue and a flashing title, is commented and
// acknowledged; muted, the next one flashes without a sound; repeated alerts share a row; filters narrow the list; a
// bulk ack with one comment clears the rest; a click on an alert opens the unit's card; old alerts carry their date.
// Expects the server to hold units PV-01..PV-04 south of a critical 'Port zone' (the square -106.5..-106.4,
// 31.7..31.8), an exit of 26 hours ago and a grouped silence alert (see WatchFloorBrowserIT).
// Env: BW_URL, BW_USER, BW_PASSWORD (an admin: the script also moves units over the API), BW_SCREENSHOT.
import { api, check, env, run, signIn, watchedPage } from './browser.mjs';

const STEP_TIMEOUT_MS = 10_000;
const COMMENT = 'Patrol 7 sent to the gate';
const BULK_COMMENT = 'Shift change: all reviewed';
const OUTSIDE = 31.65;
const INSIDE = 31.75;

const url = env('BW_URL');

run('alerts', async (browser, problems) => {
  const admin = await api(url, env('BW_USER'), env('BW_PASSWORD'));
  const page = await watchedPage(browser, url, problems);
  await signIn(page, url, env('BW_USER'), env('BW_PASSWORD'), 4);
  await page.getByTestId('alert-item').nth(1).waitFor({ timeout: STEP_TIMEOUT_MS });

  const rows = () =>
    page.evaluate(() =>
      [...document.querySelectorAll('[data-testid=alert-item]')].map((row) => ({
        id: row.dataset.alertId,
        severity: row.dataset.severity,
        count: Number(row.dataset.count),
        type: row.querySelector('.alert-type').textContent,
        unit: row.querySelector('[data-testid=alert-unit]').textContent,
        time: row.querySelector('[data-testid=alert-time]').textContent,
        text: row.textContent,
      })),
    );
  const state = () =>
    page.evaluate(() => ({
      cues: window.borderwatch.soundCues(),
      flashing: document.documentElement.dataset.titleFlash === 'true',
      title: document.title,
      open: Number(document.querySelector('[data-testid=alert-unacked]').dataset.count),
      openText: document.querySelector('[data-testid=alert-unacked]').textContent,
    }));
  let t = Date.now();
  const drive = async (unitId, lat) => {
    t += 1000;
    await admin.post('/api/v1/positions', { unitId, time: new Date(t).toISOString(), lat, lon: -106.45 });
  };
  /** Waits for the top row to be the unit's alert of that type, with `count` alerts in it. */
  const topIs = (unit, type, count = 1) =>
    page
      .waitForFunction(
        ({ unit, type, count }) => {
          const top = document.querySelector('[data-testid=alert-item]');
          return (
            top?.querySelector('[data-testid=alert-unit]').textContent === unit &&
            top.querySelector('.alert-type').textContent === type &&
            Number(top.dataset.count) === count
          );
        },
        { unit, type, count },
        { timeout: STEP_TIMEOUT_MS },
      )
      .catch(() => {
        throw new Error(`the newest row is not ${unit} ${type} ×${count}`);
      });

  // History: the old exit shows its date, the silence alert its three units on one row.
  const history = await rows();
  const old = history.find((row) => row.type === 'EXIT');
  check(/^\d{1,2} [A-Z][a-z]{2} \d\d:\d\d:\d\dZ$/.test(old?.time ?? ''), `the day-old alert reads "${old?.time}"`);
  const silence = history.find((row) => row.type === 'LOST');
  check(silence?.unit === '3 units' && silence.text.includes('PV-03'), `the grouped silence alert reads "${silence?.text}"`);
  const before = await state();
  check(before.cues === 0 && !before.flashing, `history sounded or flashed: ${JSON.stringify(before)}`);

  // A critical alert arrives live: a cue, a flashing title, today's time only.
  await drive('PV-01', OUTSIDE);
  await drive('PV-01', INSIDE);
  await topIs('PV-01', 'ENTER');
  await page.waitForFunction(() => window.borderwatch.soundCues() === 1, null, { timeout: STEP_TIMEOUT_MS });
  await page.waitForFunction(() => document.title.includes('CRITICAL'), null, { timeout: 3_000 });
  const arrived = await state();
  check(arrived.flashing, 'the title does not flash for a critical alert');
  const [first] = await rows();
  check(/^\d\d:\d\d:\d\dZ$/.test(first.time), `today's alert reads "${first.time}"`);
  check(first.severity === 'critical', `the zone's alert is ${first.severity}`);

  // Commented and acknowledged: the flash stops.
  const top = page.getByTestId('alert-item').first();
  await top.getByTestId('alert-ack-comment').fill(COMMENT);
  await top.getByTestId('alert-ack').click();
  await top.getByTestId('alert-comment').waitFor({ timeout: STEP_TIMEOUT_MS });
  const acked = await top.getByTestId('alert-acked').textContent();
  check(acked.includes(COMMENT) && acked.includes(`Acknowledged by ${env('BW_USER')}`), `the ack reads "${acked}"`);
  await page.waitForFunction(() => document.documentElement.dataset.titleFlash === 'false', null, { timeout: 3_000 });

  // Muted: the next critical alert flashes the title but makes no sound.
  await page.getByTestId('alert-mute').click();
  check((await page.getByTestId('alert-mute').textContent()) === 'Sound off', 'the mute button does not say so');
  await drive('PV-02', OUTSIDE);
  await drive('PV-02', INSIDE);
  await topIs('PV-02', 'ENTER');
  await page.waitForFunction(() => document.documentElement.dataset.titleFlash === 'true', null, { timeout: 3_000 });
  check((await state()).cues === 1, 'a muted alert sounded');
  await page.getByTestId('alert-mute').click();

  // A unit going in and out twice: two rows of two, not four rows.
  for (const lat of [OUTSIDE, INSIDE, OUTSIDE, INSIDE, OUTSIDE]) {
    await drive('PV-03', lat);
  }
  await page.waitForFunction(
    () => [...document.querySelectorAll('[data-testid=alert-item]')].filter((row) =>
      row.querySelector('[data-testid=alert-unit]').textContent === 'PV-03' && row.dataset.count === '2').length === 2,
    null,
    { timeout: STEP_TIMEOUT_MS },
  ).catch(() => {
    throw new Error('PV-03 entering and leaving twice does not show as two rows of two');
  });
  await page.waitForFunction(() => window.borderwatch.soundCues() >= 2, null, { timeout: STEP_TIMEOUT_MS });
  const grouped = page.locator('[data-testid=alert-item]', { hasText: 'PV-03' }).first();
  await grouped.getByTestId('alert-repeats').click();
  check((await grouped.getByTestId('alert-members').locator('li').count()) === 2, 'expanding a row of two lists two');

  // Filters.
  await page.getByTestId('alert-filter-severity').selectOption('critical');
  const critical = await rows();
  check(critical.length > 0 && critical.every((row) => row.severity === 'critical'), 'the severity filter lets others through');
  await page.getByTestId('alert-filter-severity').selectOption('');
  await page.getByTestId('alert-filter-type').selectOption('exit');
  const exits = await rows();
  check(exits.length >= 2 && exits.every((row) => row.type === 'EXIT'), `the type filter shows ${exits.map((r) => r.type)}`);
  await page.getByTestId('alert-filter-type').selectOption('');
  await page.getByTestId('alert-filter-acked').selectOption('acked');
  const ackedRows = await rows();
  check(ackedRows.length === 1 && ackedRows[0].unit === 'PV-01', `the acked filter shows ${ackedRows.map((r) => r.unit)}`);
  await page.getByTestId('alert-filter-acked').selectOption('');
  const open = (await state()).open;
  check(open >= 6, `only ${open} alerts counted open`);
  await page.screenshot({ path: env('BW_SCREENSHOT') });

  // A click on an alert opens its unit's card.
  await page.locator('[data-testid=alert-item]', { hasText: 'PV-02' }).first().locator('.alert-type').click();
  await page.getByTestId('unit-card').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  check((await page.getByTestId('unit-card-id').textContent()) === 'PV-02', 'the alert opened another unit');

  // Bulk: every open row ticked, one comment, one click.
  await page.getByTestId('alert-select-all').check();
  const bulkLabel = await page.getByTestId('alert-bulk-ack').textContent();
  check(bulkLabel === `Ack selected (${open})`, `the bulk button reads "${bulkLabel}" with ${open} open`);
  await page.getByTestId('alert-bulk-comment').fill(BULK_COMMENT);
  const bulkStart = Date.now();
  await page.getByTestId('alert-bulk-ack').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=alert-unacked]').dataset.count === '0', null, {
    timeout: STEP_TIMEOUT_MS,
  });
  const bulkMs = Date.now() - bulkStart;
  const left = await admin.get('/api/v1/alerts?acked=false');
  check(left.length === 0, `${left.length} alerts still open on the server`);
  const done = await state();
  check(!done.flashing && done.openText === 'none open', `after the bulk ack: ${JSON.stringify(done)}`);
  await page.screenshot({ path: env('BW_SCREENSHOT').replace(/\.png$/, '-acked.png') });

  return `history dated (${old.time}), ${before.cues} → ${done.cues} cues, commented ack, muted alert silent, ` +
    `PV-03 grouped in two rows of two, filters, ${open} open alerts bulk-acked in ${bulkMs} ms`;
});
