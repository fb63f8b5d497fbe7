// Detection to arrival on the watch floor: a camera's field of view is drawn; a detection appears as a marker with a
// ray from the camera; its alert lists the nearest patrols and, picked, rings the nearest on the map; an operator
// assigns it; the line and ETA show (in a viewer's browser too, which has no Assign button); as the patrol drives
// there the distance and ETA fall, and on arrival the line goes and the alert shows as closed.
// The test posts the detection and the patrol's positions when the script asks ("@detect", "@drive N" on stdout; it
// answers on stdin with the alert id, then "driven"). Expects a camera and a seismic sensor and patrols BW_NEAREST
// (the nearest) and one more (see DispatchBrowserIT).
// Env: BW_URL, BW_USER/BW_PASSWORD (an operator), BW_VIEWER/BW_VIEWER_PASSWORD, BW_SENSOR, BW_NEAREST,
// BW_SCREENSHOT (the arrival is saved beside it as …-arrived.png).
import { createInterface } from 'node:readline';
import { check, env, run, signIn, watchedPage } from './browser.mjs';

const STEP_TIMEOUT_MS = 15_000;
const DRIVE_STEPS = 4;

const url = env('BW_URL');
const sensor = env('BW_SENSOR');
const nearest = env('BW_NEAREST');
const answers = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

const began = Date.now();
/** Progress with the seconds since the start: where a slow or failed run spent its time. */
function step(what) {
  console.log(`${((Date.now() - began) / 1000).toFixed(1)} s: ${what}`);
}

async function ask(request) {
  console.log(`@${request}`);
  const { value, done } = await answers.next();
  check(!done, `no answer to ${request}`);
  return value;
}

/** Waits for `predicate(arg)` in the page, failing with `what` rather than a bare timeout. */
async function until(page, what, predicate, arg) {
  await page.waitForFunction(predicate, arg, { timeout: STEP_TIMEOUT_MS }).catch(() => {
    throw new Error(`${what} (not within ${STEP_TIMEOUT_MS / 1000} s)`);
  });
}

/** How many features of `layer` the map has drawn, optionally those whose `key` property is `value`. */
function drawn(page, layer, key, value) {
  return page.evaluate(
    ({ layer, key, value }) =>
      window.borderwatch.map
        .queryRenderedFeatures({ layers: [layer] })
        .filter((feature) => key === undefined || feature.properties[key] === value).length,
    { layer, key, value },
  );
}

function row(page, alertId) {
  return page.locator(`[data-testid=alert-item][data-alert-id="${alertId}"]`);
}

run('dispatch', async (browser, problems) => {
  const operator = await watchedPage(browser, url, problems);
  const viewer = await watchedPage(browser, url, problems);
  await signIn(operator, url, env('BW_USER'), env('BW_PASSWORD'), 4);
  await signIn(viewer, url, env('BW_VIEWER'), env('BW_VIEWER_PASSWORD'), 4);
  step('signed in');
  // Zoomed out the fields of view stay hidden; zoomed in on the camera its wedge is drawn.
  const camera = await operator.evaluate((id) => window.borderwatch.units().find((unit) => unit.id === id), sensor);
  check(camera !== undefined, `${sensor} is not on the map`);
  await until(operator, 'the sensors are not known with their fields of view', () =>
    window.borderwatch.sensors().wedges === 1);
  check((await drawn(operator, 'sensor-fov-fill')) === 0, 'fields of view are drawn on the overview');
  // Only the operator's map zooms in; the viewer's stays on the overview, where lines and labels are drawn too.
  // A block body: jumpTo returns the map, which Playwright would copy out of the page, all of it, for a minute or more.
  await operator.evaluate(([lon, lat]) => {
    window.borderwatch.map.jumpTo({ center: [lon - 0.005, lat - 0.006], zoom: 13 });
  }, [camera.lon, camera.lat]);
  step('zoomed in');
  await until(operator, 'the camera\'s field of view is not drawn', () =>
    window.borderwatch.map.queryRenderedFeatures({ layers: ['sensor-fov-fill'] })
      .some((f) => f.properties.kind === 'camera'),
  );
  const sensors = await operator.evaluate(() => window.borderwatch.sensors());
  check(sensors.rings === 1, `the seismic sensor has no ring: ${JSON.stringify(sensors)}`);

  step('fields of view drawn');
  // A detection along the camera's bearing: a marker where it was placed, a ray from the camera, an alert.
  const alertId = await ask('detect');
  for (const page of [operator, viewer]) {
    await page.locator(`[data-testid=detection-marker][data-alert-id="${alertId}"]`)
      .waitFor({ timeout: STEP_TIMEOUT_MS });
  }
  await until(operator, 'no ray from the camera to the detection', () =>
    window.borderwatch.map.queryRenderedFeatures({ layers: ['detection-rays'] }).length > 0,
  );
  const detection = (await operator.evaluate(() => window.borderwatch.detections()))[0];
  check(detection.sensorId === sensor && detection.kind === 'person', `detection ${JSON.stringify(detection)}`);
  await row(operator, alertId).waitFor({ timeout: STEP_TIMEOUT_MS });
  await until(operator, 'the alert lists no nearest patrols', (id) =>
    document.querySelector(`[data-testid=alert-item][data-alert-id="${id}"] [data-testid=alert-nearest]`) !== null,
  alertId);
  const listed = await row(operator, alertId).evaluate((item) => ({
    nearest: [...item.querySelectorAll('[data-testid=alert-nearest]')].map((near) => near.dataset.unitId),
    text: item.textContent,
  }));
  check(listed.nearest[0] === nearest, `nearest listed first: ${listed.nearest.join(', ')}`);
  check(listed.text.includes('1 detection: person'), `the alert names its detection: ${listed.text}`);
  check(/\d+(\.\d)? km/.test(listed.text) && /\d+ min/.test(listed.text), `distance and ETA listed: ${listed.text}`);

  step('detection and alert shown');
  // Picked, its nearest patrol is ringed on the map.
  await row(operator, alertId).click();
  await until(operator, 'the nearest patrol is not highlighted', (unit) =>
    window.borderwatch.highlighted()[0] === unit, nearest);
  await until(operator, 'no ring drawn around the nearest patrol', (unit) =>
    window.borderwatch.map.queryRenderedFeatures({ layers: ['dispatch-halo'] })
      .some((f) => f.properties.unitId === unit && f.properties.first === true), nearest);
  check((await viewer.getByTestId('alert-assign').count()) === 0, 'a viewer is offered Assign');

  step('nearest patrol ringed');
  // The operator sends it: the line and its ETA show, on the viewer's map as well.
  await row(operator, alertId).locator(`[data-testid=alert-assign][data-unit-id="${nearest}"]`).click();
  for (const page of [operator, viewer]) {
    await row(page, alertId).getByTestId('alert-assigned').waitFor({ timeout: STEP_TIMEOUT_MS });
    await page.locator(`[data-testid=dispatch-label][data-alert-id="${alertId}"]`)
      .waitFor({ timeout: STEP_TIMEOUT_MS });
    await until(page, 'no route from the patrol to the detection', (unit) =>
      window.borderwatch.routes().some((route) => route.unitId === unit), nearest);
  }
  await until(operator, 'no line drawn from the patrol to the detection', () =>
    window.borderwatch.map.queryRenderedFeatures({ layers: ['dispatch-line'] }).length > 0);
  const assigned = await row(viewer, alertId).getByTestId('alert-assigned').textContent();
  check(assigned.includes(`${nearest} sent by ${env('BW_USER')}`), `the viewer sees who was sent: ${assigned}`);
  check((await viewer.getByTestId('alert-assign').count()) === 0, 'a viewer is offered Assign');
  const label = () =>
    operator.locator(`[data-testid=dispatch-label][data-alert-id="${alertId}"]`).evaluate((element) => ({
      meters: Number(element.dataset.meters),
      eta: Number(element.dataset.etaSeconds),
      text: element.textContent,
    }));
  const labels = [await label()];
  check(labels[0].text.includes('ETA') && labels[0].text.startsWith(nearest), `label ${labels[0].text}`);
  await operator.screenshot({ path: env('BW_SCREENSHOT') });

  step('assigned; line and ETA shown');
  // It drives there: the distance and ETA fall with each report; on arrival the line goes and the alert closes.
  for (let step = 1; step < DRIVE_STEPS; step++) {
    check((await ask(`drive ${step}`)) === 'driven', 'the patrol did not drive');
    const before = labels.at(-1).meters;
    await until(operator, `the distance left did not fall after drive ${step}`, ({ id, before }) =>
      Number(document.querySelector(`[data-testid=dispatch-label][data-alert-id="${id}"]`)?.dataset.meters)
        < before - 100,
    { id: alertId, before });
    labels.push(await label());
  }
  check(labels.at(-1).eta < labels[0].eta, `the ETA did not fall: ${labels.map((l) => l.text).join(' | ')}`);
  step('distance and ETA fell');
  check((await ask(`drive ${DRIVE_STEPS}`)) === 'driven', 'the patrol did not drive');
  for (const page of [operator, viewer]) {
    await row(page, alertId).getByTestId('alert-arrived').waitFor({ timeout: STEP_TIMEOUT_MS });
    await until(page, 'the line stays after the arrival', () =>
      document.querySelector('[data-testid=dispatch-label]') === null && window.borderwatch.routes().length === 0);
    await until(page, 'the alert is not shown closed', (id) =>
      document.querySelector(`[data-testid=alert-item][data-alert-id="${id}"]`).classList.contains('alert-acked'),
    alertId);
  }
  step('arrived');
  const arrived = await row(operator, alertId).getByTestId('alert-arrived').textContent();
  check(arrived.includes(`${nearest} arrived`), `arrival shown: ${arrived}`);
  check((await row(operator, alertId).getByTestId('alert-assign').count()) === 0, 'Assign offered on a closed alert');
  await operator.waitForTimeout(300); // the line's removal reaches the canvas
  await operator.screenshot({ path: env('BW_SCREENSHOT').replace(/\.png$/, '-arrived.png') });

  return `detection ${alertId.slice(0, 8)} by ${sensor}, nearest ${listed.nearest.join(', ')}; ` +
    `${nearest} assigned, labels ${labels.map((l) => l.text).join(' | ')}; ${arrived}`;
});
