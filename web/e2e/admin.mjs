// Administration in the browser: an admin opens the page from the status bar, creates a user (a short password is
// refused beside its field) who signs in in a second browser, changes that user's role (the second browser is signed
// out at once) and disables them; creates a unit and sees its device key once, with a copy button and a warning;
// rotates the key: the old key is refused by POST /api/v1/positions, the new one works; creates an agency, shares
// vehicles with it and takes the share back; adds a webhook (a bad URL is refused beside its field), sees a failing
// delivery with its attempts and error, deletes it; reads the audit log, newest first.
// The test raises an alert for the webhook when the script prints "@alert" (it answers "raised").
// Env: BW_URL, BW_USER/BW_PASSWORD (a root admin), BW_HOOK_URL (a webhook target that refuses connections),
// BW_SCREENSHOT (the unit's key on show; the audit log beside it as …-audit.png, the user table as …-users.png).
import { createInterface } from 'node:readline';
import { check, env, run, signIn, watchedPage } from './browser.mjs';

const STEP_TIMEOUT_MS = 10_000;
const USER = 'night-officer';
const USER_PASSWORD = 'lantern-river-granite-47';
const UNIT = 'PV-77';

const url = env('BW_URL');
const screenshot = env('BW_SCREENSHOT');
const answers = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const began = Date.now();
function step(what) {
  console.log(`${((Date.now() - began) / 1000).toFixed(1)} s: ${what}`);
}

async function ask(request) {
  console.log(`@${request}`);
  const { value, done } = await answers.next();
  check(!done, `no answer to ${request}`);
  return value;
}

/**
 * Runs `action`, which makes the server answer `status` on purpose; Chromium logs each such answer (and a WebSocket
 * upgrade it refuses) to the console, so exactly those lines are taken off the problems; any other still fails the run.
 */
async function refused(problems, status, action) {
  const before = problems.length;
  await action();
  const expected = problems
    .slice(before)
    .filter((problem) => problem.includes(`status of ${status}`) || (status === 401 && /WebSocket connection to .* failed/.test(problem)));
  check(expected.length > 0, `the server answered ${status}`);
  for (const problem of expected) {
    problems.splice(problems.indexOf(problem), 1);
  }
}

/** Reports with `key` until the server's answer is `wanted` (a rotation is in force within a second). */
async function reportUntil(key, wanted) {
  const deadline = Date.now() + 2_000;
  let status = await report(key);
  while (!wanted(status) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    status = await report(key);
  }
  return status;
}

async function report(key) {
  const response = await fetch(`${url}/api/v1/positions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ unitId: UNIT, time: new Date().toISOString(), lat: 31.6, lon: -106.42 }),
  });
  return response.status;
}

function rowOf(page, testid, key) {
  return page.locator(`[data-testid=${testid}][data-key="${key}"]`);
}

run('admin', async (browser, problems) => {
  const admin = await watchedPage(browser, url, problems);
  await signIn(admin, url, env('BW_USER'), env('BW_PASSWORD'));
  await admin.getByTestId('admin-toggle').click();
  await admin.getByTestId('admin-page').waitFor({ timeout: STEP_TIMEOUT_MS });
  step('the administration page is open');

  // Users: a short password is refused beside its field, then the user is created.
  await admin.getByTestId('user-name').fill(USER);
  await admin.getByTestId('user-password').fill('short');
  await admin.getByTestId('user-role').selectOption('operator');
  await refused(problems, 400, async () => {
    await admin.getByTestId('user-form-submit').click();
    await admin.getByTestId('user-form-error-password').filter({ hasText: /password/ }).waitFor({ timeout: STEP_TIMEOUT_MS });
  });
  step(`a short password is refused: ${await admin.getByTestId('user-form-error-password').textContent()}`);
  await admin.getByTestId('user-password').fill(USER_PASSWORD);
  await admin.getByTestId('user-form-submit').click();
  const userRow = rowOf(admin, 'user-row', USER);
  await userRow.waitFor({ timeout: STEP_TIMEOUT_MS });
  check((await userRow.getByTestId('user-row-role').inputValue()) === 'operator', 'the new user is an operator');

  const officer = await watchedPage(browser, url, problems);
  await signIn(officer, url, USER, USER_PASSWORD);
  const who = await officer.locator('.statusbar .user').textContent();
  check(who === `${USER} · operator`, `the new user signed in: ${who}`);
  check((await officer.getByTestId('admin-toggle').count()) === 0, 'an operator has no Admin button');
  step('the new user signed in in a second browser');

  // A new role signs them out everywhere at once.
  await refused(problems, 401, async () => {
    await userRow.getByTestId('user-row-role').selectOption('viewer');
    await userRow.getByTestId('user-result').filter({ hasText: 'Role now viewer' }).waitFor({ timeout: STEP_TIMEOUT_MS });
    await officer.getByTestId('login-form').waitFor({ timeout: STEP_TIMEOUT_MS });
    step(`the role changed; the second browser is back at sign-in: ${await officer.getByTestId('login-error').textContent()}`);
    await officer.close();
  });
  await userRow.getByTestId('user-toggle').click();
  await userRow.locator('.admin-state').filter({ hasText: 'Disabled' }).waitFor({ timeout: STEP_TIMEOUT_MS });
  await admin.screenshot({ path: screenshot.replace(/\.png$/, '-users.png') });

  // Units: the key once, then rotated.
  await admin.getByTestId('admin-tab-units').click();
  await admin.getByTestId('unit-id').fill(UNIT);
  await admin.getByTestId('unit-name').fill('Night patrol');
  await admin.getByTestId('unit-type').selectOption('vehicle');
  await admin.getByTestId('unit-form-submit').click();
  await admin.getByTestId('key-box').waitFor({ timeout: STEP_TIMEOUT_MS });
  const key = await admin.getByTestId('device-key').textContent();
  check(key.startsWith('bwk_'), `a device key is shown: ${key.slice(0, 6)}…`);
  const warning = await admin.getByTestId('key-box').textContent();
  check(warning.includes('Shown only now') && warning.includes(UNIT), `the key box warns: ${warning}`);
  await admin.getByTestId('key-copy').click();
  await admin.getByTestId('key-copied').filter({ hasText: /Copied|Selected/ }).waitFor({ timeout: STEP_TIMEOUT_MS });
  const unitRow = rowOf(admin, 'unit-row', UNIT);
  await unitRow.waitFor({ timeout: STEP_TIMEOUT_MS });
  await admin.screenshot({ path: screenshot });
  await admin.getByTestId('key-done').click();
  check(!(await admin.content()).includes(key), 'the key is gone from the page once dismissed');
  check((await report(key)) === 202, 'the first key reports');
  step('a unit was created, its key shown once, and it reports');

  await unitRow.getByTestId('unit-rotate').click();
  await unitRow.getByTestId('unit-rotate-confirm').click();
  await admin.getByTestId('key-box').waitFor({ timeout: STEP_TIMEOUT_MS });
  await admin.getByTestId('key-title').filter({ hasText: 'New device key' }).waitFor({ timeout: STEP_TIMEOUT_MS });
  const rotated = await admin.getByTestId('device-key').textContent();
  check(rotated.startsWith('bwk_') && rotated !== key, 'a new key is shown');
  const old = await reportUntil(key, (status) => status === 401 || status === 403);
  check(old === 401 || old === 403, `the old key is refused: HTTP ${old}`);
  check((await report(rotated)) === 202, 'the new key reports');
  await admin.getByTestId('key-done').click();
  step(`the key was rotated: the old one gets HTTP ${old}, the new one 202`);

  // Agencies and shares.
  await admin.getByTestId('admin-tab-agencies').click();
  await admin.getByTestId('agency-id').fill('state-police');
  await admin.getByTestId('agency-name').fill('State police');
  await admin.getByTestId('agency-form-submit').click();
  await rowOf(admin, 'agency-row', 'state-police').waitFor({ timeout: STEP_TIMEOUT_MS });
  await admin.getByTestId('share-from').selectOption('root');
  await admin.getByTestId('share-to').selectOption('state-police');
  await admin.getByTestId('share-types-vehicle').check();
  await admin.getByTestId('share-form-submit').click();
  const share = admin.getByTestId('share-row').filter({ hasText: 'State police' });
  await share.waitFor({ timeout: STEP_TIMEOUT_MS });
  check((await share.textContent()).includes('vehicle'), 'the share covers vehicles');
  await share.getByTestId('share-delete').click();
  await share.getByTestId('share-delete-confirm').click();
  await share.waitFor({ state: 'detached', timeout: STEP_TIMEOUT_MS });
  step('an agency was created, vehicles shared with it and unshared');

  // Webhooks: a bad URL refused beside its field; a failing delivery; delete.
  await admin.getByTestId('admin-tab-webhooks').click();
  await admin.getByTestId('webhook-url').fill('ftp://example.org/hook');
  await admin.getByTestId('webhook-secret').fill('hook-secret-1');
  await refused(problems, 400, async () => {
    await admin.getByTestId('webhook-form-submit').click();
    await admin.getByTestId('webhook-form-error-url').filter({ hasText: /./ }).waitFor({ timeout: STEP_TIMEOUT_MS });
  });
  step(`a bad URL is refused: ${await admin.getByTestId('webhook-form-error-url').textContent()}`);
  const hookUrl = env('BW_HOOK_URL');
  await admin.getByTestId('webhook-url').fill(hookUrl);
  await admin.getByTestId('webhook-types-enter').check();
  await admin.getByTestId('webhook-form-submit').click();
  const hook = admin.getByTestId('webhook-row').filter({ hasText: hookUrl });
  await hook.waitFor({ timeout: STEP_TIMEOUT_MS });
  check((await ask('alert')) === 'raised', 'the test raised an alert');
  await hook.getByTestId('webhook-deliveries').click();
  const delivery = admin.getByTestId('delivery-row').first();
  for (let tries = 0; ; tries += 1) {
    await admin.waitForTimeout(500);
    const text = (await delivery.count()) > 0 ? await delivery.textContent() : '';
    if (text.includes('pending') && /\d/.test(text) && (await delivery.locator('td').nth(6).textContent()) !== '') {
      step(`a failing delivery shows: ${text}`);
      break;
    }
    check(tries < 30, `no failing delivery shown: ${text}`);
    await admin.getByTestId('deliveries-refresh').click();
  }
  await hook.getByTestId('webhook-delete').click();
  await hook.getByTestId('webhook-delete-confirm').click();
  await hook.waitFor({ state: 'detached', timeout: STEP_TIMEOUT_MS });

  // The audit log, newest first.
  await admin.getByTestId('admin-tab-audit').click();
  await admin.getByTestId('audit-row').first().waitFor({ timeout: STEP_TIMEOUT_MS });
  const entries = await admin.getByTestId('audit-row').evaluateAll((rows) =>
    rows.map((row) => [...row.cells].map((cell) => cell.textContent)),
  );
  const times = entries.map(([time]) => time);
  check(times.every((time, i) => i === 0 || times[i - 1] >= time), 'the audit log is newest first');
  for (const [action, target] of [['webhook.delete', null], ['share.delete', null], ['unit.key', UNIT], ['unit.create', UNIT], ['user.update', USER], ['user.create', USER]]) {
    check(entries.some((entry) => entry[3] === action && (target === null || entry[4] === target)), `the audit log shows ${action} ${target ?? ''}`);
  }
  check(entries[0][3] === 'webhook.delete', `the newest entry is the webhook's deletion: ${entries[0].join(' | ')}`);
  await admin.getByTestId('audit-action').selectOption('unit.key');
  await admin.getByTestId('audit-row').filter({ hasText: 'unit.key' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
  await admin.waitForFunction(() => [...document.querySelectorAll('[data-testid=audit-row]')].every((row) => row.textContent.includes('unit.key')), undefined, { timeout: STEP_TIMEOUT_MS });
  await admin.getByTestId('audit-action').selectOption('');
  await admin.getByTestId('audit-row').nth(5).waitFor({ timeout: STEP_TIMEOUT_MS });
  await admin.screenshot({ path: screenshot.replace(/\.png$/, '-audit.png') });

  await admin.getByTestId('admin-close').click();
  await admin.getByTestId('admin-page').waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
  return `user ${USER} created, signed in, demoted and disabled; ${UNIT}'s key shown once and rotated; share and webhook made and removed; ${entries.length} audit entries`;
});
