// The server restarts under a signed-in map: the map says it is reconnecting, comes back by itself on the same page
// (no reload), shows the picture again and moves the units the restarted server reports.
// The test stops and starts the node when the script asks ("@stop", "@start" on stdout; it answers on stdin).
// Env: BW_URL, BW_USER, BW_PASSWORD, BW_SCREENSHOT. The restarted node reports PV-01 at 31.9 N.
import { createInterface } from 'node:readline';
import { check, env, run, signIn, watchedPage } from './browser.mjs';

const STEP_TIMEOUT_MS = 15_000;
const BACK_WITHIN_MS = 15_000;
// While the server is down the browser itself logs each refused connection; nothing else may reach the console.
const DOWN_NOISE = /ERR_CONNECTION_REFUSED|WebSocket connection to .* failed|Failed to load resource/;

const url = env('BW_URL');
const answers = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

async function ask(request) {
  console.log(`@${request}`);
  const { value, done } = await answers.next();
  check(!done, `no answer to ${request}`);
  return value;
}

run('reconnect', async (browser, problems) => {
  const page = await watchedPage(browser, url, problems);
  await signIn(page, url, env('BW_USER'), env('BW_PASSWORD'), 5);
  await page.waitForFunction(() => document.querySelector('[data-testid=connection-state]').dataset.state === 'live');
  await page.evaluate(() => {
    window.samePage = true;
    window.connectionStates = [];
    const state = document.querySelector('[data-testid=connection-state]');
    new MutationObserver(() => window.connectionStates.push(state.dataset.state)).observe(state, { attributes: true });
  });

  const downFrom = problems.length;
  check((await ask('stop')) === 'stopped', 'the node did not stop');
  await page
    .waitForFunction(() => document.querySelector('[data-testid=connection-state]').dataset.state === 'reconnecting', null, {
      timeout: STEP_TIMEOUT_MS,
    })
    .catch(() => {
      throw new Error('the map does not say it lost the server');
    });
  await page.waitForTimeout(1_500); // a few refused attempts while the node is down
  check((await ask('start')) === 'started', 'the node did not start');
  const started = Date.now();
  await page
    .waitForFunction(() => document.querySelector('[data-testid=connection-state]').dataset.state === 'live', null, {
      timeout: BACK_WITHIN_MS,
    })
    .catch(() => {
      throw new Error(`the map did not reconnect within ${BACK_WITHIN_MS / 1000} s`);
    });
  const liveAfter = Date.now() - started;
  await page
    .waitForFunction(() => window.borderwatch.units().find((unit) => unit.id === 'PV-01')?.lat === 31.9, null, {
      timeout: STEP_TIMEOUT_MS,
    })
    .catch(() => {
      throw new Error('the restarted server\'s position of PV-01 did not reach the map');
    });
  const movedAfter = Date.now() - started;
  const noise = problems.splice(downFrom).filter((problem) => !DOWN_NOISE.test(problem));
  problems.push(...noise);

  const after = await page.evaluate(() => ({
    samePage: window.samePage === true,
    states: window.connectionStates,
    units: window.borderwatch.units().length,
    problem: document.querySelector('[data-testid=status-problem]').textContent,
    subscribed: window.borderwatch.subscription(),
  }));
  check(after.samePage, 'the page reloaded');
  check(after.units === 5, `${after.units} units after the restart`);
  check(after.problem === '', `the status bar still reports "${after.problem}"`);
  check(after.subscribed !== undefined, 'the viewport was not subscribed again');
  await page.waitForFunction(() => window.borderwatch.map.queryRenderedFeatures({ layers: ['units', 'unit-clusters'] }).length > 0);
  await page.screenshot({ path: env('BW_SCREENSHOT') });

  return `states ${after.states.join(' → ')}; live again ${liveAfter} ms after the node started, ` +
    `its first position shown after ${movedAfter} ms; ${after.units} units, same page`;
});
