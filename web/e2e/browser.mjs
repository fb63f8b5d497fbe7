// What the watch-floor browser scripts share: Debian's headless Chromium, a page that records every console error or
// warning, page error and request leaving the server, the sign-in, and the REST calls a script makes as admin.
import { chromium } from 'playwright-core';

export const LOAD_TIMEOUT_MS = 30_000;
// Headless Chromium composites WebGL in software and reports the read-back of every WebGL canvas; it comes from the
// browser, not from the app.
const BROWSER_NOISE = [/GPU stall due to ReadPixels/];

export function env(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set`);
  }
  return value;
}

export function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

/** `gpu`: let Chrome run WebGL in its GPU process (SwiftShader here) as a desktop browser does; tests keep it off. */
export async function launch({ gpu = false } = {}) {
  return chromium.launch({
    executablePath: process.env.BW_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      ...(gpu ? [] : ['--disable-gpu']),
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // The critical-alert beep plays without a click first, as it does on a floor where someone signed in.
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

/** A page that collects what would make the test fail: console errors and warnings, page errors, outside requests. */
export async function watchedPage(browser, url, problems) {
  const origin = new URL(url).origin;
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
  return page;
}

/** Signs in through the form and waits for the watch floor (and, with `minUnits`, for that many units). */
export async function signIn(page, url, user, password, minUnits = 0) {
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
  check(!loginError, `sign-in failed: ${loginError}`);
  await page.waitForFunction((min) => window.borderwatch.units().length >= min, minUnits, { timeout: LOAD_TIMEOUT_MS });
}

/** The REST API as a script sees it: signs in once, then JSON in and out. */
export async function api(url, user, password) {
  const login = await fetch(`${url}/api/v1/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: user, password }),
  });
  check(login.ok, `API sign-in failed: HTTP ${login.status}`);
  const { token } = await login.json();
  const call = async (method, path, body) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    check(response.ok, `${method} ${path}: HTTP ${response.status} ${text.slice(0, 200)}`);
    return text === '' ? undefined : JSON.parse(text);
  };
  return {
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
  };
}

/** Runs `steps`, then fails on anything the page did wrong; exit 0 when all passed, 1 otherwise. */
export async function run(name, steps) {
  const problems = [];
  const browser = await launch();
  try {
    const summary = await steps(browser, problems);
    if (problems.length > 0) {
      throw new Error('the page misbehaved');
    }
    console.log(`${name} ok: ${summary}`);
    await browser.close();
    process.exit(0);
  } catch (error) {
    console.error(`${name} FAILED: ${error instanceof Error ? error.message : error}`);
    problems.forEach((problem) => console.error(`  ${problem}`));
    await browser.close().catch(() => undefined);
    process.exit(1);
  }
}

/** Metres between two [lon, lat] points (equirectangular: exact enough over a few kilometres). */
export function metres([lon1, lat1], [lon2, lat2]) {
  const k = Math.PI / 180;
  const x = (lon2 - lon1) * k * Math.cos(((lat1 + lat2) / 2) * k);
  const y = (lat2 - lat1) * k;
  return Math.hypot(x, y) * 6_371_000;
}
