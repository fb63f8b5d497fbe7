// MapLibre's stylesheet first, so the app's dark overrides come later in the cascade.
import 'maplibre-gl/dist/maplibre-gl.css';
import './styles.css';
import type { Map as MapLibreMap } from 'maplibre-gl';
import {
  ackAlert,
  clearSession,
  fetchAlerts,
  fetchGeofences,
  fetchTrack,
  fetchUnits,
  isBenign,
  loadSession,
  logout,
  onUnauthorized,
} from './api';
import { el } from './dom';
import { createLiveMap, type LiveMap } from './map/livemap';
import { TRACK_WINDOW_MS } from './map/track';
import { exposeColorsToCss } from './palette';
import { AlertPanel } from './panels/alerts';
import { DegradedBanner } from './panels/degraded';
import { showLogin } from './panels/login';
import { StatusBar } from './panels/statusbar';
import { UnitCard } from './panels/unitcard';
import { LiveSocket } from './socket';
import { UNIT_STATUSES, type Session, type Unit, type UnitStatus } from './types';

declare global {
  interface Window {
    /** Read-only hook for browser tests. */
    borderwatch?: { map: MapLibreMap; units: () => Unit[]; selectedUnit: () => string | null };
  }
}

const ALERT_PAGE = 50;
const FLY_TO_ZOOM = 11;
/** setTimeout fires at once for delays beyond a signed 32-bit millisecond count. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

const root = document.getElementById('app') as HTMLElement;
exposeColorsToCss(document.documentElement);

function hasExpired(session: Session): boolean {
  return Date.parse(session.expiresAt) <= Date.now();
}

function describe(error: unknown): string {
  if (error instanceof TypeError) {
    return 'Server unreachable';
  }
  return error instanceof Error ? error.message : String(error);
}

async function start(notice?: string): Promise<void> {
  const stored = loadSession();
  const session = stored !== null && !hasExpired(stored) ? stored : await showLogin(root, notice);
  await runWatchFloor(session);
}

/** The signed-in app; everything it starts is stopped by `end`, which returns to the sign-in form. */
async function runWatchFloor(session: Session): Promise<void> {
  const abort = new AbortController();
  const { signal } = abort;
  let live: LiveMap | null = null;
  let socket: LiveSocket | null = null;
  let ended = false;

  const end = (notice?: string) => {
    if (ended) {
      return;
    }
    ended = true;
    abort.abort();
    socket?.close();
    window.clearTimeout(expiry);
    statusBar.dispose();
    unitCard.hide();
    live?.remove();
    delete window.borderwatch;
    clearSession();
    void start(notice);
  };
  const statusBar = new StatusBar(session, () => {
    logout();
    end();
  });
  const expiry = window.setTimeout(
    () => end('Your session expired. Please sign in again.'),
    Math.min(MAX_TIMEOUT_MS, Date.parse(session.expiresAt) - Date.now()),
  );
  onUnauthorized(() => end('Your session ended. Please sign in again.'));

  const alerts = new AlertPanel({
    canAck: session.role === 'operator' || session.role === 'admin',
    select: (alert) => {
      if (live !== null) {
        live.focus.show(alert.lon, alert.lat);
        live.map.flyTo({ center: [alert.lon, alert.lat], zoom: Math.max(live.map.getZoom(), FLY_TO_ZOOM) });
      }
    },
    ack: async (alert, comment) =>
      (await ackAlert(signal, alert.id, comment)) ?? { ...alert, ackedBy: session.username, ackedAt: new Date().toISOString() },
  });
  /** The unit whose card is open and whose track is drawn. */
  let selected: string | null = null;
  /** Unit names by id: the live stream carries no names, the unit list over REST does. */
  const names = new Map<string, string | null>();
  const unitCard = new UnitCard({ trackMinutes: TRACK_WINDOW_MS / 60_000, close: () => select(null) });
  const degraded = new DegradedBanner();
  const mapContainer = el('div', { class: 'map', testid: 'map' });
  const mapArea = el('div', { class: 'map-area' }, mapContainer, unitCard.element);
  const workspace = el('main', { class: 'workspace' }, mapArea, alerts.element);
  root.replaceChildren(statusBar.element, degraded.element, workspace);

  const unitsRendered = (units: ReadonlyMap<string, Unit>) => {
    const counts = Object.fromEntries(UNIT_STATUSES.map((status) => [status, 0])) as Record<UnitStatus, number>;
    units.forEach((unit) => (counts[unit.status] += 1));
    statusBar.setCounts(counts);
    if (selected !== null) {
      const unit = units.get(selected);
      if (unit === undefined) {
        select(null); // the server no longer knows it
      } else {
        unitCard.update(unit);
      }
    }
  };
  const map = await createLiveMap(mapContainer, signal, unitsRendered, (message) => statusBar.setProblem(message));
  if (ended) {
    map.remove();
    return;
  }
  live = map;
  window.borderwatch = { map: map.map, units: () => map.units.all(), selectedUnit: () => selected };

  const report = (error: unknown) => {
    if (!isBenign(error)) {
      statusBar.setProblem(describe(error));
    }
  };
  const loadTrack = (unit: Unit) => {
    const to = new Date();
    const from = new Date(to.getTime() - TRACK_WINDOW_MS);
    map.track.show(unit, () => fetchTrack(signal, unit.id, from, to)).catch(report);
  };
  const loadName = (unitId: string) => {
    if (names.has(unitId)) {
      unitCard.setName(unitId, names.get(unitId) ?? null);
      return;
    }
    fetchUnits(signal)
      .then((collection) => {
        collection.features.forEach(({ properties }) => names.set(properties.id, properties.name));
        unitCard.setName(unitId, names.get(unitId) ?? null);
      })
      .catch(report);
  };
  /** Opens the card and track of a unit, or closes them (null, or a unit no longer on the map). */
  const select = (unitId: string | null) => {
    const unit = unitId === null ? undefined : map.units.get(unitId);
    if (unit === undefined) {
      selected = null;
      unitCard.hide();
      map.track.clear();
    } else if (unit.id !== selected) {
      selected = unit.id;
      unitCard.show(unit);
      loadTrack(unit);
      loadName(unit.id);
    }
  };
  map.units.onPick(select);

  const refresh = () => {
    statusBar.setProblem(null);
    degraded.hide(); // a new connection is told at once if the database is still down
    const shown = selected === null ? undefined : map.units.get(selected);
    if (shown !== undefined) {
      loadTrack(shown); // the stream skipped whatever moved while it was down
    }
    map.geofences.sync(() => fetchGeofences(signal)).catch(report);
    fetchAlerts(signal, ALERT_PAGE)
      .then((page) => alerts.merge(page))
      .catch(report);
  };
  socket = new LiveSocket(session.token, {
    state: (state) => statusBar.setConnection(state),
    open: refresh,
    refused: () => {
      fetchAlerts(signal, 1).catch(report);
    },
    message: (message) => {
      switch (message.type) {
        case 'snapshot':
          map.units.replaceAll(message.units);
          map.track.extend(message.units);
          break;
        case 'positions':
          map.units.update(message.units);
          map.track.extend(message.units);
          break;
        case 'alert':
          alerts.add(message.alert);
          break;
        case 'geofence':
          map.geofences.change(message);
          break;
        case 'status':
          map.units.setStatus(message.unitId, message.status);
          break;
        case 'ack':
          alerts.acked(message);
          break;
        case 'health':
          if (message.database === 'down') {
            degraded.show(message.since);
          } else {
            degraded.hide();
          }
          break;
      }
    },
  });
  socket.start();
}

void start();
