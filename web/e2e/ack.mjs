// Two signed-in browsers on one alert list: an ack with a comment in the first appears in the second within a second.
// Env: BW_URL, BW_USER, BW_PASSWORD, BW_CHROMIUM (default /usr/bin/chromium). Exit 0 when it did, 1 otherwise.
import { chromium } from 'playwright-core';

const LOAD_TIMEOUT_MS = 30_000;
const SHOWN_WITHIN_MS = 1_000;
const COMMENT = 'Patrol confirms: gate left open';

function env(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set`);
  }
  return value;
}

async function signIn(browser, url, user, password) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.getByTestId('login-username').fill(user);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForFunction(() => window.borderwatch !== undefined, null, { timeout: LOAD_TIMEOUT_MS });
  await page.getByTestId('alert-ack').first().waitFor({ timeout: LOAD_TIMEOUT_MS });
  return page;
}

const browser = await chromium.launch({
  executablePath: process.env.BW_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
let failed = false;
try {
  const url = env('BW_URL');
  const acker = await signIn(browser, url, env('BW_USER'), env('BW_PASSWORD'));
  const watcher = await signIn(browser, url, env('BW_USER'), env('BW_PASSWORD'));
  check(await watcher.getByTestId('alert-comment').count() === 0, 'no comment shown before the ack');

  await acker.getByTestId('alert-ack-comment').first().fill(COMMENT);
  const clicked = Date.now();
  await acker.getByTestId('alert-ack').first().click();
  await watcher.getByTestId('alert-comment').first().waitFor({ timeout: 5_000 });
  const ms = Date.now() - clicked;
  const shown = await watcher.getByTestId('alert-acked').first().textContent();
  console.log(`ACK shown in the other browser after ${ms} ms: ${shown}`);
  check(shown.includes(COMMENT), `the comment is shown: ${shown}`);
  check(shown.includes(`Acknowledged by ${env('BW_USER')}`), `the acker is shown: ${shown}`);
  check(ms < SHOWN_WITHIN_MS, `shown within ${SHOWN_WITHIN_MS} ms, took ${ms}`);
} catch (error) {
  console.log(`FAILED: ${error.message}`);
  failed = true;
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}
