// A watch officer finds a unit by callsign and by id in the unit list, filters the list, opens the unit's card and
// follows it: the map centre tracks each new position until the officer drags the map.
// Env: BW_URL, BW_USER, BW_PASSWORD (an admin: the script also moves the unit over the API), BW_SCREENSHOT,
//      BW_UNIT (the unit to find), BW_CALLSIGN (its callsign), BW_UNITS (how many units the server has),
//      BW_DRONES (how many of them are drones). Exit 0 when every step passed, 1 otherwise.
import { api, check, env, metres, run, signIn, watchedPage } from './browser.mjs';

const STEP_TIMEOUT_MS = 10_000;
const MOVES = 6;
// The centre has caught up when it is this close to the unit's newest position.
const CAUGHT_UP_M = 30;

const url = env('BW_URL');
const unitId = env('BW_UNIT');
const total = Number(env('BW_UNITS'));
const drones = Number(env('BW_DRONES'));

/** The ids of the rows the list draws, top to bottom. */
function rowIds(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-testid=unit-row]')]
      .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
      .map((row) => row.dataset.unitId),
  );
}

async function search(page, text) {
  await page.getByTestId('unit-search').fill(text);
  // The list redraws on input; give it a frame.
  await page.waitForTimeout(100);
}

function centre(page) {
  return page.evaluate(() => {
    const { lng, lat } = window.borderwatch.map.getCenter();
    return [lng, lat];
  });
}

run('follow', async (browser, problems) => {
  const admin = await api(url, env('BW_USER'), env('BW_PASSWORD'));
  const page = await watchedPage(browser, url, problems);
  await signIn(page, url, env('BW_USER'), env('BW_PASSWORD'), total);
  // The callsign comes from the registry: wait until the list knows it.
  await page.waitForFunction((id) => window.borderwatch.units().find((u) => u.id === id)?.callsign != null, unitId, {
    timeout: STEP_TIMEOUT_MS,
  });

  await search(page, env('BW_CALLSIGN').toLowerCase().slice(0, 4));
  let ids = await rowIds(page);
  check(ids.length === 1 && ids[0] === unitId, `searching the callsign lists ${ids.join(', ')}, not ${unitId}`);
  const countText = await page.getByTestId('unit-list-count').textContent();
  check(countText === `1 of ${total}`, `the list count reads "${countText}"`);

  await search(page, '');
  await page.getByTestId('unit-filter-type').selectOption('drone');
  await page.waitForTimeout(100);
  const droneCount = await page.getByTestId('unit-list-count').textContent();
  check(droneCount === `${drones} of ${total}`, `the drone filter shows "${droneCount}"`);
  await page.getByTestId('unit-filter-type').selectOption('');

  await search(page, unitId.toLowerCase());
  ids = await rowIds(page);
  check(ids[0] === unitId, `searching ${unitId} lists ${ids.join(', ')} first`);
  await page.locator(`[data-testid=unit-row][data-unit-id="${unitId}"]`).click();
  await page.getByTestId('unit-card').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  check((await page.getByTestId('unit-card-id').textContent()) === unitId, 'the card shows the unit clicked');
  await page.waitForFunction(() => document.querySelector('[data-testid=unit-card-altitude]').textContent !== '—', null, {
    timeout: STEP_TIMEOUT_MS,
  });
  const text = (testid) => page.getByTestId(testid).textContent();
  const card = {
    speed: await text('unit-card-speed'),
    altitude: await text('unit-card-altitude'),
    battery: await text('unit-card-battery'),
    agency: await text('unit-card-agency'),
    attributes: await text('unit-card-attributes'),
    age: await text('unit-card-age'),
  };
  check(/^\d+ km\/h · \d+ kn$/.test(card.speed), `card speed: ${card.speed}`);
  check(/^\d+ m · \d+ ft$/.test(card.altitude), `card altitude: ${card.altitude}`);
  check(/^\d+ %$/.test(card.battery), `card battery: ${card.battery}`);
  check(card.agency !== '—', `card agency: ${card.agency}`);
  check(card.attributes.includes(env('BW_CALLSIGN')), `card attributes: ${card.attributes}`);
  await page.waitForFunction((age) => document.querySelector('[data-testid=unit-card-age]').textContent !== age, card.age, {
    timeout: 3_000,
  });

  await page.getByTestId('unit-card-follow').click();
  const following = await page.evaluate(() => window.borderwatch.following());
  check(following === unitId, `following ${following}, not ${unitId}`);

  const unit = await page.evaluate((id) => window.borderwatch.units().find((u) => u.id === id), unitId);
  let position = [unit.lon, unit.lat];
  const start = await centre(page);
  const lags = [];
  const move = async (lon, lat) => {
    position = [lon, lat];
    await admin.post('/api/v1/positions', {
      unitId, time: new Date().toISOString(), lat, lon, speed: 14, heading: 33, alt: 1250, battery: 86,
    });
  };
  for (let i = 1; i <= MOVES; i++) {
    await move(position[0] + 0.002, position[1] + 0.003);
    const sent = Date.now();
    await page
      .waitForFunction(
        ({ lon, lat, near }) => {
          const c = window.borderwatch.map.getCenter();
          const k = Math.PI / 180;
          const d = Math.hypot((c.lng - lon) * k * Math.cos(lat * k), (c.lat - lat) * k) * 6_371_000;
          return d < near;
        },
        { lon: position[0], lat: position[1], near: CAUGHT_UP_M },
        { timeout: STEP_TIMEOUT_MS },
      )
      .catch(() => {
        throw new Error(`move ${i}: the map centre did not reach the unit within ${STEP_TIMEOUT_MS / 1000} s`);
      });
    lags.push(Date.now() - sent);
    await page.waitForTimeout(400);
  }
  const travelled = metres(start, await centre(page));
  check(travelled > 1000, `the centre moved only ${Math.round(travelled)} m with the unit`);
  const rowState = await page.locator(`[data-testid=unit-row][data-unit-id="${unitId}"] [data-testid=unit-row-follow]`).textContent();
  check(rowState === 'Following', `the list row says "${rowState}"`);
  await page.screenshot({ path: env('BW_SCREENSHOT') });

  // The officer drags the map away: following stops, and the next move leaves the map where it was dragged.
  const box = await page.getByTestId('map').boundingBox();
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.6);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.3 + 120, box.y + box.height * 0.6 + 40, { steps: 8 });
  await page.mouse.up();
  await page.waitForFunction(() => window.borderwatch.following() === null, null, { timeout: STEP_TIMEOUT_MS });
  const dragged = await centre(page);
  await move(position[0] + 0.01, position[1] + 0.01);
  await page.waitForFunction(
    ({ id, lat }) => Math.abs(window.borderwatch.units().find((u) => u.id === id).lat - lat) < 1e-9,
    { id: unitId, lat: position[1] },
    { timeout: STEP_TIMEOUT_MS },
  );
  await page.waitForTimeout(1500);
  const after = await centre(page);
  check(metres(dragged, after) < 5, `the map moved ${Math.round(metres(dragged, after))} m after the drag ended follow mode`);

  return `found ${unitId} by callsign and id, card ${card.speed}, ${card.altitude}, ${card.battery}, ${card.agency}; ` +
    `followed ${MOVES} moves over ${Math.round(travelled)} m, centre caught up in ${lags.join('/')} ms; ` +
    `a drag ended following`;
});
