// Contacts on the watch floor: an aircraft, a vessel and a radar track posted over POST /api/v1/contacts (as admin) are
// drawn apart from own units (their own layer and hollow icons), labelled with altitude and speed zoomed in, move
// with short trails, and a click opens the contact card (altitude in ft and m, speed in km/h and knots, the last fix's
// age ticking); the aircraft crossing into a fence that watches contacts raises an alert in the list, and a click on it
// opens the contact's card, not a unit's; the radar track goes stale (grey, dashed) and is then dropped; the toggle
// hides and shows them. Expects two units inside the fence and a fence whose targets are ["contacts"] over
// -106.5..-106.4, 31.7..31.8, contacts going stale after BW_CONTACT_STALE_SECONDS (see ContactsBrowserIT).
// Env: BW_URL, BW_USER/BW_PASSWORD (an admin), BW_SCREENSHOT.
import { api, check, env, run, signIn, watchedPage } from './browser.mjs';

const STEP_TIMEOUT_MS = 15_000;
/** Stale after a few seconds of silence, dropped after five times that (the test node's setting), with slack. */
const DROP_TIMEOUT_MS = 45_000;
const AIRCRAFT = 'adsb:A8F2D4';
const RADAR = 'radar-1:T7';

const url = env('BW_URL');
const began = Date.now();
function step(what) {
  console.log(`${((Date.now() - began) / 1000).toFixed(1)} s: ${what}`);
}

async function until(page, what, predicate, arg, timeout = STEP_TIMEOUT_MS) {
  await page.waitForFunction(predicate, arg, { timeout }).catch(() => {
    throw new Error(`${what} (not within ${timeout / 1000} s)`);
  });
}

/** The features a layer has drawn, as plain data. */
function rendered(page, layer) {
  return page.evaluate(
    (layer) =>
      window.borderwatch.map
        .queryRenderedFeatures({ layers: [layer] })
        .map((feature) => ({ ...feature.properties, coordinates: feature.geometry.coordinates })),
    layer,
  );
}

function aircraft(lon, heading = 270) {
  return {
    source: 'adsb', trackId: 'A8F2D4', time: new Date().toISOString(), lat: 31.76, lon, alt: 457.2, speed: 56.07,
    heading, kind: 'aircraft', name: 'N731BW', attributes: { squawk: '1200', category: 'A1' },
  };
}

/** Clicks the map where a contact is drawn. */
async function clickContact(page, id) {
  const point = await page.evaluate((id) => {
    const contact = window.borderwatch.contacts().find((c) => c.id === id);
    const { x, y } = window.borderwatch.map.project([contact.lon, contact.lat]);
    const box = window.borderwatch.map.getCanvas().getBoundingClientRect();
    return { x: box.left + x, y: box.top + y };
  }, id);
  await page.mouse.click(point.x, point.y);
}

run('contacts', async (browser, problems) => {
  const rest = await api(url, env('BW_USER'), env('BW_PASSWORD'));
  const page = await watchedPage(browser, url, problems);
  await signIn(page, url, env('BW_USER'), env('BW_PASSWORD'), 2);
  check(await page.getByTestId('legend-contacts').isHidden(), 'the legend keys contacts while there are none');
  await page.evaluate(() => {
    window.borderwatch.map.jumpTo({ center: [-106.42, 31.745], zoom: 12 });
  });
  step('signed in, zoomed in');

  await rest.post('/api/v1/contacts', [
    aircraft(-106.37),
    { source: 'ais', trackId: '366999001', time: new Date().toISOString(), lat: 31.705, lon: -106.37, speed: 5.2,
      heading: 200, kind: 'vessel', name: 'RIO BRAVO' },
    { source: 'radar-1', trackId: 'T7', time: new Date().toISOString(), lat: 31.79, lon: -106.36, speed: 1.4 },
  ]);
  await until(page, 'the contacts are not known', () => window.borderwatch.contacts().length === 3);
  await until(page, 'the contacts are not drawn', () =>
    window.borderwatch.map.queryRenderedFeatures({ layers: ['contacts'] }).length === 3);
  const drawnContacts = await rendered(page, 'contacts');
  const drawnUnits = await rendered(page, 'units');
  check(drawnUnits.length === 2, `own units drawn: ${drawnUnits.length}`);
  check(drawnContacts.every((c) => c.icon.startsWith('k:')) && drawnUnits.every((u) => u.icon.startsWith('u:')),
    'contacts and units share a symbol family');
  check(!drawnUnits.some((u) => u.id.includes(':')) && !drawnContacts.some((c) => !c.id.includes(':')),
    'a contact is drawn as a unit, or a unit as a contact');
  check(drawnContacts.find((c) => c.id === RADAR).icon.startsWith('k:unknown:'), 'a radar track of no kind is no diamond');
  check(await page.getByTestId('legend-contacts').isVisible(), 'the legend has no contacts entry');
  const labels = (await rendered(page, 'contact-labels-full')).map((label) => label.fullLabel);
  check(labels.some((label) => /N731BW · 1,500 ft · 460 m/.test(label)), `aircraft label: ${labels.join(' | ')}`);
  check(labels.some((label) => /RIO BRAVO · 10 kn/.test(label)), `vessel label: ${labels.join(' | ')}`);
  step('drawn apart from units, labelled');

  // It moves, and leaves a trail.
  await rest.post('/api/v1/contacts', [aircraft(-106.385)]);
  await until(page, 'the aircraft did not move', (id) =>
    window.borderwatch.map.queryRenderedFeatures({ layers: ['contacts'] })
      .some((f) => f.properties.id === id && Math.abs(f.geometry.coordinates[0] + 106.385) < 1e-4), AIRCRAFT);
  await until(page, 'no trail behind the aircraft', () =>
    window.borderwatch.map.queryRenderedFeatures({ layers: ['contact-trails'] }).length > 0);
  step('moved with a trail');

  // A click opens its card; the stored trail is drawn.
  await clickContact(page, AIRCRAFT);
  await until(page, 'the contact card did not open', (id) => window.borderwatch.selectedContact() === id, AIRCRAFT);
  const card = page.getByTestId('contact-card');
  await card.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  check((await page.getByTestId('unit-card').isVisible()) === false, 'a unit card is open beside the contact card');
  const text = async (id) => (await page.getByTestId(id).textContent()) ?? '';
  check((await text('contact-card-id')) === AIRCRAFT, `card id ${await text('contact-card-id')}`);
  check((await text('contact-card-altitude')) === '457 m · 1500 ft', `altitude ${await text('contact-card-altitude')}`);
  check((await text('contact-card-speed')) === '202 km/h · 109 kn', `speed ${await text('contact-card-speed')}`);
  check((await text('contact-card-source')).includes('adsb'), `source ${await text('contact-card-source')}`);
  await until(page, 'the card lists no attributes', () =>
    document.querySelector('[data-testid=contact-card-attributes]')?.textContent.includes('squawk1200'));
  const age = await text('contact-card-age');
  await until(page, 'the last fix\'s age does not tick', (before) =>
    document.querySelector('[data-testid=contact-card-age]').textContent !== before, age);
  await until(page, 'the stored trail is not drawn', () => window.borderwatch.contactTrail() >= 2);
  step('card open');

  // Into the fence: an enter alert, marked as a contact's; a click on it opens the contact card.
  await page.getByTestId('contact-card-close').click();
  check(await card.isHidden(), 'the card did not close');
  await rest.post('/api/v1/contacts', [aircraft(-106.42)]);
  const alertRow = page.locator(`[data-testid=alert-item][data-contact-id="${AIRCRAFT}"]`);
  await alertRow.waitFor({ timeout: STEP_TIMEOUT_MS });
  const alertText = (await alertRow.textContent()) ?? '';
  check(alertText.includes('ENTER') && alertText.includes('Contact airspace'), `alert row: ${alertText}`);
  await alertRow.click();
  await until(page, 'the alert did not open the contact card', (id) =>
    window.borderwatch.selectedContact() === id && window.borderwatch.selectedUnit() === null, AIRCRAFT);
  await card.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  step('alert opens the contact card');

  // The radar track falls silent: stale (grey, dashed), then dropped.
  await until(page, 'the silent radar track is not drawn stale', (id) =>
    window.borderwatch.map.queryRenderedFeatures({ layers: ['contacts'] })
      .some((f) => f.properties.id === id && f.properties.icon.includes(':stale:')), RADAR);
  step('radar track stale');
  await page.evaluate(() => {
    // The card's padding (kept from the alert's fly-to) puts the centre left of the map's middle.
    window.borderwatch.map.jumpTo({ center: [-106.41, 31.745], zoom: 10.7 });
  });
  await rest.post('/api/v1/contacts', [aircraft(-106.425)]);
  await until(page, 'the aircraft is not live again', (id) =>
    window.borderwatch.contacts().find((c) => c.id === id)?.status === 'live', AIRCRAFT);
  await page.waitForTimeout(600);
  await page.screenshot({ path: env('BW_SCREENSHOT') });

  // Hidden and shown again with the toggle.
  await page.getByTestId('contacts-toggle').click();
  await until(page, 'contacts still drawn when hidden', () =>
    !window.borderwatch.contactsShown() &&
    window.borderwatch.map.queryRenderedFeatures({ layers: ['contacts'] }).length === 0);
  check(await card.isHidden(), 'the contact card stayed open with contacts hidden');
  await page.getByTestId('contacts-toggle').click();
  await until(page, 'contacts not drawn again', () =>
    window.borderwatch.map.queryRenderedFeatures({ layers: ['contacts'] }).length > 0);
  step('toggled');

  await until(page, 'the silent radar track was not dropped', (id) =>
    !window.borderwatch.contacts().some((c) => c.id === id) &&
    !window.borderwatch.map.queryRenderedFeatures({ layers: ['contacts'] }).some((f) => f.properties.id === id),
  RADAR, DROP_TIMEOUT_MS);
  step('radar track dropped');
  return 'contacts drawn apart, moving, stale and dropped; card, fence alert and toggle work';
});
