// MapLibre's stylesheet first, so the app's dark overrides come later in the cascade.
import 'maplibre-gl/dist/maplibre-gl.css';
import './styles.css';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { AdminPage } from './admin/page';
import { Alarm } from './alarm';
import {
  ackAlert,
  assignAlert,
  clearSession,
  fetchAgencies,
  fetchAlerts,
  fetchAlertsSince,
  fetchContacts,
  fetchContactTrack,
  fetchGeofences,
  fetchTrack,
  fetchExport,
  fetchUnits,
  isBenign,
  loadSession,
  logout,
  onUnauthorized,
  streamReplay,
} from './api';
import { Contacts } from './contacts';
import { el } from './dom';
import { countByStatus, Fleet } from './fleet';
import type { Route } from './map/dispatch';
import { CursorTracker, readout, type CursorReadout } from './map/cursor';
import { FenceEditor } from './map/fenceeditor';
import { kindOf } from './map/fenceshapes';
import { Legend } from './map/legend';
import { createLiveMap, type LiveMap } from './map/livemap';
import { TRACK_WINDOW_MS } from './map/track';
import type { RangeReading } from './map/range';
import type { Pick } from './map/units';
import { ViewportSubscription, type Bbox } from './map/viewport';
import { agencyColors, exposeColorsToCss, UNKNOWN_AGENCY_COLOR, type ColorMode } from './palette';
import { AlertPanel } from './panels/alerts';
import { Chooser } from './panels/chooser';
import { ContactCard } from './panels/contactcard';
import { DegradedBanner } from './panels/degraded';
import { ReplayPanel } from './panels/replay';
import { showLogin } from './panels/login';
import { StatusBar } from './panels/statusbar';
import { UnitCard, type FixDetails } from './panels/unitcard';
import { UnitPanel } from './panels/units';
import { LiveSocket } from './socket';
import type { Agency, Alert, Contact, Detection, FleetUnit, Session, Track, Unit } from './types';

declare global {
  interface Window {
    /** Read-only hooks for browser tests and the benchmark. */
    borderwatch?: {
      map: MapLibreMap;
      units: () => FleetUnit[];
      selectedUnit: () => string | null;
      following: () => string | null;
      soundCues: () => number;
      subscription: () => Bbox | null | undefined;
      renderMs: () => number[];
      /** Detections still shown on the map, oldest first. */
      detections: () => Detection[];
      /** The units ringed for the picked alert, the most prominent first. */
      highlighted: () => string[];
      /** Units on their way to an alert, with the distance left and ETA the map shows. */
      routes: () => Route[];
      /** Sensors drawn with a field of view, a coverage area, or a ring. */
      sensors: () => { wedges: number; areas: number; rings: number };
      /** Contacts of the live picture (not own units), and the one whose card is open. */
      contacts: () => Contact[];
      selectedContact: () => string | null;
      /** Vertices of the selected contact's drawn trail. */
      contactTrail: () => number;
      contactsShown: () => boolean;
      /** The history replay: fixes held, playing, the replayed time and where each unit is then. */
      replay: () => ReturnType<ReplayPanel['state']>;
      /** The range-and-bearing tool's line, if one is drawn. */
      range: () => RangeReading | null;
      /** Decimal and MGRS reading of a position, as the status bar shows it under the pointer. */
      readout: (lon: number, lat: number) => CursorReadout;
      /** Names of the geofences labelled on the map. */
      fenceLabels: () => string[];
      /** The geofences on the map: how each was drawn, its name and its outline's first ring. */
      fences: () => FenceSummary[];
    };
  }
}

interface FenceSummary {
  id: string;
  name: string;
  severity: string;
  kind: string;
  radiusMeters: number | null;
  ring: number[][];
}

const ALERT_PAGE = 200;
/** Open alerts are loaded apart from the newest page, so an old unacknowledged one is never out of sight. */
const OPEN_ALERT_PAGE = 1000;
const FLY_TO_ZOOM = 12;
/** Zooming to a detection and its patrol stops here, so two units a street apart do not fill the screen. */
const DISPATCH_MAX_ZOOM = 14;
const TITLE = 'Borderwatch';
const COLOR_MODE_KEY = 'bw.colorMode';
/** The registry (names, agencies; positions outside the subscribed box) is re-read while a box is in force. */
const REGISTRY_REFRESH_MIN_MS = 5_000;
const REGISTRY_REFRESH_MAX_MS = 30_000;
const REGISTRY_MS_PER_UNIT = 3;
/** A unit the registry has not named yet is looked up, but not more often than this. */
const REGISTRY_MIN_GAP_MS = 10_000;
/** The shown unit's altitude, battery and attributes are re-read this often while it reports. */
const DETAILS_REFRESH_MS = 10_000;
const COUNTS_REFRESH_MS = 500;
/** How far back a selected contact's stored trail reaches. */
const CONTACT_TRACK_MS = 30 * 60 * 1000;
/** The box around a selected contact in which REST is asked for its attributes (the stream leaves them out). */
const CONTACT_LOOKUP_DEGREES = 0.01;
/** Alerts of a replay window marked on its timeline. */
const REPLAY_ALERTS = 1000;
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

/** The last fix of a track: what the card shows beside the stream's fields. */
function lastFix(track: Track): FixDetails | null {
  const { times, alts, batteries, accuracies, attributes } = track.properties;
  const last = times.length - 1;
  const time = times[last];
  if (time === undefined) {
    return null;
  }
  return {
    time,
    alt: alts?.[last] ?? null,
    battery: batteries?.[last] ?? null,
    accuracy: accuracies?.[last] ?? null,
    attributes: attributes?.[last] ?? null,
  };
}

function storedColorMode(): ColorMode {
  return localStorage.getItem(COLOR_MODE_KEY) === 'agency' ? 'agency' : 'status';
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
  const timers: number[] = [];
  let live: LiveMap | null = null;
  let socket: LiveSocket | null = null;
  let viewport: ViewportSubscription | null = null;
  let cursor: CursorTracker | null = null;
  let fenceEditor: FenceEditor | null = null;
  let ended = false;

  const end = (notice?: string) => {
    if (ended) {
      return;
    }
    ended = true;
    abort.abort();
    socket?.close();
    viewport?.remove();
    cursor?.remove();
    fenceEditor?.dispose();
    window.clearTimeout(expiry);
    timers.forEach((timer) => window.clearInterval(timer));
    statusBar.dispose();
    unitPanel.dispose();
    alarm.dispose();
    unitCard.hide();
    contactCard.hide();
    replayPanel.hide();
    chooser.hide();
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
  const report = (error: unknown) => {
    if (!isBenign(error)) {
      statusBar.setProblem(describe(error));
    }
  };

  const fleet = new Fleet();
  const contacts = new Contacts();
  const alarm = new Alarm(TITLE);
  /** The unit whose card is open and whose track is drawn. */
  let selected: string | null = null;
  let colors = new Map<string, string>();
  let agencies: Agency[] = [];
  let colorMode = storedColorMode();

  const operator = session.role === 'operator' || session.role === 'admin';
  const alerts = new AlertPanel({
    canAck: operator,
    canAssign: operator,
    alarm,
    select: (alert) => {
      if (live === null) {
        return;
      }
      if (replayPanel.open) {
        // The cards show the live picture: while replaying, an alert only shows where it was.
        live.map.flyTo({ center: [alert.lon, alert.lat], zoom: Math.max(live.map.getZoom(), FLY_TO_ZOOM) });
        return;
      }
      // A detection's unit is its sensor: the map, with the place and the patrols, says more than the sensor's card.
      if (alert.contactId !== undefined) {
        selectContact(alert.contactId);
      } else if (alert.type !== 'detection' && fleet.get(alert.unitId) !== undefined) {
        select(alert.unitId);
      }
      pickAlert(alert);
      live.focus.show(alert.lon, alert.lat);
      const patrol = live.dispatch.haloAt();
      if (patrol === undefined) {
        live.map.flyTo({ center: [alert.lon, alert.lat], zoom: Math.max(live.map.getZoom(), FLY_TO_ZOOM), padding: padding() });
      } else {
        // The place, the sensor that saw it and the patrol that would go there, all in view.
        const sensor = fleet.get(alert.unitId);
        const points = [patrol, [alert.lon, alert.lat] as const];
        if (sensor !== undefined) {
          points.push([sensor.lon, sensor.lat]);
        }
        const lons = points.map(([lon]) => lon);
        const lats = points.map(([, lat]) => lat);
        live.map.fitBounds(
          [
            [Math.min(...lons), Math.min(...lats)],
            [Math.max(...lons), Math.max(...lats)],
          ],
          { padding: { top: 80, bottom: 140, left: 80, right: 80 + padding().right }, maxZoom: DISPATCH_MAX_ZOOM },
        );
      }
    },
    ack: async (alert, comment) =>
      (await ackAlert(signal, alert.id, comment)) ?? { ...alert, ackedBy: session.username, ackedAt: new Date().toISOString() },
    assign: (alert, unitId) => assignAlert(signal, alert.id, unitId),
    changed: (all) => live?.dispatch.setAlerts(all),
  });
  /** The alert the operator picked: its row is marked and its nearest patrol (or the unit sent) ringed on the map. */
  const pickAlert = (alert: Alert | null) => {
    alerts.setSelected(alert?.id ?? null);
    live?.dispatch.select(alert);
  };
  const follow = (unitId: string) => {
    if (live === null || replayPanel.open) {
      return; // nothing live to follow while replaying
    }
    const unit = fleet.get(unitId);
    if (live.follow.following === unitId || unit === undefined) {
      live.follow.stop();
      return;
    }
    select(unitId);
    if (live.map.getZoom() < FLY_TO_ZOOM) {
      live.map.jumpTo({ zoom: FLY_TO_ZOOM });
    }
    live.follow.start(unit);
  };
  const unitPanel = new UnitPanel({
    fleet,
    select: (unitId) => {
      if (replayPanel.open) {
        replayPanel.toggleUnit(unitId); // while replaying, the list picks the units to replay
        return;
      }
      const unit = fleet.get(unitId);
      if (unit !== undefined && live !== null) {
        live.follow.stop();
        select(unitId);
        live.map.flyTo({ center: [unit.lon, unit.lat], zoom: Math.max(live.map.getZoom(), FLY_TO_ZOOM), padding: padding() });
      }
    },
    follow,
  });
  const unitCard = new UnitCard({
    trackMinutes: TRACK_WINDOW_MS / 60_000,
    close: () => select(null),
    follow,
  });
  const contactCard = new ContactCard({ trailMinutes: CONTACT_TRACK_MS / 60_000, close: () => selectContact(null) });
  const chooser = new Chooser((unitId) => select(unitId));
  const replayPanel = new ReplayPanel({
    viewBox: () => {
      const bounds = live?.map.getBounds();
      return bounds === undefined ? [-180, -90, 180, 90] : [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()];
    },
    load: (from, to, bbox, take) => streamReplay(signal, from, to, bbox, take),
    alerts: async (from, to) =>
      (await fetchAlertsSince(signal, from, REPLAY_ALERTS)).filter((alert) => Date.parse(alert.time) <= to.getTime()),
    export: (scope, from, to, format) => fetchExport(signal, scope, from, to, format),
    fit: ([w, s, e, n]) =>
      live?.map.fitBounds(
        [
          [w, s],
          [e, n],
        ],
        // Clear of the replay panel at the bottom and the flag at the top.
        { padding: { top: 90, bottom: 230, left: 60, right: 60 }, maxZoom: FLY_TO_ZOOM, duration: 0 },
      ),
    show: (units) => live?.replay.show(units),
    close: () => setReplay(false),
    failed: (error) => report(error),
  });
  /** The unit card covers the map's right-hand side: units flown to or followed stay clear of it. */
  const padding = () => {
    const shown = unitCard.element.hidden ? contactCard.element : unitCard.element;
    const card = shown.hidden ? 0 : shown.getBoundingClientRect().width + 32;
    return { top: 0, bottom: 0, left: 0, right: card };
  };
  const legend = new Legend(colorMode, (mode) => {
    colorMode = mode;
    localStorage.setItem(COLOR_MODE_KEY, mode);
    live?.units.setColorMode(mode);
  });
  const mapContainer = el('div', { class: 'map', testid: 'map' });
  const mapArea = el(
    'div',
    { class: 'map-area' },
    mapContainer,
    unitCard.element,
    contactCard.element,
    legend.element,
    chooser.element,
    replayPanel.flag,
    replayPanel.element,
  );
  const workspace = el('main', { class: 'workspace' }, unitPanel.element, mapArea, alerts.element);
  statusBar.onToggleUnits((shown) => workspace.classList.toggle('units-hidden', !shown));
  if (session.role === 'admin') {
    const admin = new AdminPage(signal, () => {
      admin.hide();
      statusBar.setAdminOpen(false);
    });
    workspace.append(admin.element);
    statusBar.onAdmin(() => {
      if (admin.shown) {
        admin.hide();
      } else {
        admin.show();
      }
      statusBar.setAdminOpen(admin.shown);
    });
  }
  const degraded = new DegradedBanner();
  root.replaceChildren(statusBar.element, degraded.element, workspace);

  const map = await createLiveMap(
    mapContainer,
    signal,
    fleet,
    contacts,
    { colorMode, agencyColor: (agency) => (agency === null ? UNKNOWN_AGENCY_COLOR : (colors.get(agency) ?? UNKNOWN_AGENCY_COLOR)) },
    (unitId) => {
      unitPanel.setFollowing(unitId);
      unitCard.setFollowing(unitId);
    },
    (message) => statusBar.setProblem(message),
  );
  if (ended) {
    map.remove();
    return;
  }
  live = map;
  map.follow.padding = padding;
  mapArea.append(map.range.button);
  cursor = new CursorTracker(map.map, (position) => statusBar.setCursor(position));
  if (operator) {
    // Viewers get no fence tools at all; the server refuses their writes too.
    fenceEditor = new FenceEditor(map.map, map.geofences, signal);
    mapArea.append(fenceEditor.tools.element, fenceEditor.form.element);
  }

  const showAgencies = () => {
    const present = new Set<string>();
    for (const unit of fleet.all()) {
      if (unit.agency !== null) {
        present.add(unit.agency);
      }
    }
    const names = new Map(agencies.map((agency) => [agency.id, agency.name]));
    legend.setAgencies(
      [...present].sort().map((id) => ({ label: names.get(id) ?? id, color: colors.get(id) ?? UNKNOWN_AGENCY_COLOR })),
    );
  };
  const loadAgencies = () =>
    fetchAgencies(signal)
      .then((list) => {
        agencies = list;
        colors = agencyColors(list.map((agency) => agency.id));
        unitPanel.setAgencies(list);
        unitCard.setAgencies(new Map(list.map((agency) => [agency.id, agency.name])));
        contactCard.setAgencies(new Map(list.map((agency) => [agency.id, agency.name])));
        map.units.refresh();
        showAgencies();
      })
      .catch(report);

  let registryAt = 0;
  let registryTimer: number | undefined;
  const loadRegistry = () => {
    window.clearTimeout(registryTimer);
    registryTimer = undefined;
    registryAt = Date.now();
    const mark = fleet.mark();
    fetchUnits(signal)
      .then((collection) => {
        fleet.applyRegistry(collection, mark);
        map.sensors.setRegistry(collection);
        if ([...fleet.all()].some((unit) => unit.agency !== null && !colors.has(unit.agency))) {
          void loadAgencies(); // a new agency: its colour and name
        } else {
          showAgencies();
        }
      })
      .catch(report);
  };
  /** Some units are not named yet: look them up soon, not for every frame that brings one. */
  const registrySoon = () => {
    registryTimer ??= window.setTimeout(loadRegistry, Math.max(0, registryAt + REGISTRY_MIN_GAP_MS - Date.now()));
  };
  // Positions outside the subscribed box do not stream: while a box is in force the registry brings them, often for
  // a small fleet, every half minute for a large one.
  const refreshRegistry = () => {
    if (viewport?.sent() !== null && Date.now() - registryAt >= registryInterval()) {
      loadRegistry();
    }
  };
  const registryInterval = () =>
    Math.min(REGISTRY_REFRESH_MAX_MS, Math.max(REGISTRY_REFRESH_MIN_MS, fleet.size * REGISTRY_MS_PER_UNIT));
  timers.push(window.setInterval(refreshRegistry, REGISTRY_REFRESH_MIN_MS));

  let detailsAt = 0;
  const loadTrack = (unit: Unit) => {
    const to = new Date();
    const from = new Date(to.getTime() - TRACK_WINDOW_MS);
    map.track
      .show(unit, () =>
        fetchTrack(signal, unit.id, from, to).then((track) => {
          detailsAt = Date.now();
          unitCard.setDetails(unit.id, lastFix(track));
          return track;
        }),
      )
      .catch(report);
  };
  const refreshDetails = () => {
    const unit = selected === null ? undefined : fleet.get(selected);
    if (unit === undefined || Date.now() - detailsAt < DETAILS_REFRESH_MS) {
      return;
    }
    detailsAt = Date.now();
    fetchTrack(signal, unit.id, new Date(Date.parse(unit.time)), new Date())
      .then((track) => {
        const details = lastFix(track);
        if (details !== null) {
          unitCard.setDetails(unit.id, details);
        }
      })
      .catch(report);
  };
  timers.push(window.setInterval(refreshDetails, DETAILS_REFRESH_MS / 2));

  /** Opens the card and track of a unit, or closes them (null, or a unit no longer known). */
  const select = (unitId: string | null) => {
    chooser.hide();
    const unit = unitId === null ? undefined : fleet.get(unitId);
    if (unit === undefined) {
      selected = null;
      unitCard.hide();
      map.track.clear();
    } else if (unit.id !== selected) {
      selectContact(null); // one card at a time
      selected = unit.id;
      unitCard.show(unit);
      loadTrack(unit);
    }
    unitPanel.setSelected(selected);
  };

  /** The contact whose card is open and whose stored trail is drawn. */
  let selectedContact: string | null = null;
  /** Opens the card and trail of a contact, or closes them (null, or a contact no longer in the live picture). */
  const selectContact = (contactId: string | null) => {
    const contact = contactId === null ? undefined : contacts.get(contactId);
    if (contact === undefined) {
      selectedContact = null;
      contactCard.hide();
      void map.contacts.select(null);
      return;
    }
    if (contact.id === selectedContact) {
      return;
    }
    select(null);
    selectedContact = contact.id;
    contactCard.show(contact);
    const from = new Date(Date.now() - CONTACT_TRACK_MS);
    map.contacts.select(contact.id, () => fetchContactTrack(signal, contact.id, from)).catch(report);
    const d = CONTACT_LOOKUP_DEGREES;
    fetchContacts(signal, [contact.lon - d, contact.lat - d, contact.lon + d, contact.lat + d])
      .then((collection) => {
        const found = collection.features.find((feature) => feature.properties.id === contact.id);
        if (found !== undefined && selectedContact === contact.id) {
          contactCard.setAttributes(found.properties.attributes);
        }
      })
      .catch(report);
  };
  contacts.onChange(({ updated, removed }) => {
    legend.setContactsPresent(contacts.size > 0);
    const shown = updated.find((contact) => contact.id === selectedContact);
    if (shown !== undefined) {
      contactCard.update(shown);
    }
    if (selectedContact !== null && removed.includes(selectedContact)) {
      selectContact(null); // dropped from the live picture
    }
  });
  let contactsShown = true;
  legend.onContactsToggle((shown) => {
    contactsShown = shown;
    map.contacts.setVisible(shown && !replayPanel.open);
    if (!shown) {
      selectContact(null);
    }
  });

  /**
   * Replay mode: the live units and contacts leave the map and the replayed ones take their place under a REPLAY flag;
   * the unit list then picks the units to replay. Leaving it brings the live picture back.
   */
  const setReplay = (on: boolean) => {
    statusBar.setReplay(on);
    mapArea.classList.toggle('replaying', on);
    if (on) {
      const unitId = selected;
      select(null);
      selectContact(null);
      pickAlert(null);
      map.follow.stop();
      replayPanel.show(unitId);
    } else {
      replayPanel.hide();
      map.replay.clear();
    }
    map.replay.setVisible(on);
    map.units.setVisible(!on);
    map.contacts.setVisible(!on && contactsShown);
  };
  statusBar.onReplay(setReplay);
  map.units.onPick((pick: Pick) => {
    if (map.range.active) {
      return; // the click set a point of the range line
    }
    if (fenceEditor?.busy === true) {
      return; // the click placed a corner or picked a fence
    }
    if (pick?.kind === 'contact') {
      selectContact(pick.id);
    } else if (pick === null || pick.kind === 'unit') {
      select(pick?.id ?? null);
      if (pick === null) {
        selectContact(null);
        pickAlert(null); // a click on open ground puts the picked alert's rings away too
      }
    } else {
      const units = pick.ids.map((id) => fleet.get(id)).filter((unit): unit is FleetUnit => unit !== undefined);
      chooser.show(units, pick.x, pick.y);
    }
  });

  let countsTimer: number | undefined;
  fleet.onChange(({ updated, removed }) => {
    for (const unit of updated) {
      if (unit.id === selected) {
        unitCard.update(unit);
      }
      map.follow.moved(unit);
    }
    map.track.extend(updated);
    if (selected !== null && removed.includes(selected)) {
      select(null); // the server no longer shows it to us
    }
    if (removed.includes(map.follow.following ?? '')) {
      map.follow.stop();
    }
    countsTimer ??= window.setTimeout(() => {
      countsTimer = undefined;
      statusBar.setCounts(countByStatus(fleet.all()));
    }, COUNTS_REFRESH_MS);
  });

  window.borderwatch = {
    map: map.map,
    units: () => [...fleet.all()],
    selectedUnit: () => selected,
    following: () => map.follow.following,
    soundCues: () => alarm.cues,
    subscription: () => viewport?.sent(),
    renderMs: () => [...map.units.renderMs],
    detections: () => map.detections.current(),
    highlighted: () => map.dispatch.highlighted(),
    routes: () => map.dispatch.current(),
    sensors: () => map.sensors.drawn(),
    contacts: () => [...contacts.all()],
    selectedContact: () => selectedContact,
    contactTrail: () => map.contacts.drawnTrack(),
    contactsShown: () => map.contacts.visible,
    replay: () => replayPanel.state(),
    range: () => map.range.current(),
    readout,
    fenceLabels: () => map.geofences.labels(),
    fences: () =>
      map.geofences.all().map((fence) => ({
        id: String(fence.id),
        name: fence.properties.name,
        severity: fence.properties.severity,
        kind: kindOf(fence),
        radiusMeters: fence.properties.radiusMeters ?? null,
        ring: (fence.geometry.type === 'Polygon' ? fence.geometry.coordinates[0] : fence.geometry.coordinates[0]?.[0]) ?? [],
      })),
  };

  const refresh = () => {
    statusBar.setProblem(null);
    degraded.hide(); // a new connection is told at once if the database is still down
    viewport?.resend();
    const shown = selected === null ? undefined : fleet.get(selected);
    if (shown !== undefined) {
      loadTrack(shown); // the stream skipped whatever moved while it was down
    }
    loadRegistry();
    void loadAgencies();
    map.geofences.sync(() => fetchGeofences(signal)).catch(report);
    Promise.all([fetchAlerts(signal, ALERT_PAGE), fetchAlerts(signal, OPEN_ALERT_PAGE, false)])
      .then(([newest, open]) => alerts.merge([...newest, ...open], open.length >= OPEN_ALERT_PAGE))
      .catch(report);
  };
  const liveSocket = new LiveSocket(session.token, {
    state: (state) => statusBar.setConnection(state),
    open: refresh,
    refused: () => {
      fetchAlerts(signal, 1).catch(report);
    },
    message: (message) => {
      switch (message.type) {
        case 'snapshot':
        case 'positions':
          if (fleet.applyLive(message.units).length > 0) {
            registrySoon();
          }
          break;
        case 'alert':
          alerts.add(message.alert);
          break;
        case 'geofence':
          map.geofences.change(message);
          break;
        case 'status':
          fleet.applyStatus(message.unitId, message.status);
          break;
        case 'ack':
          alerts.acked(message);
          break;
        case 'contacts':
          contacts.apply(message);
          break;
        case 'detection':
          map.detections.add(message.detection);
          alerts.detected(message.detection);
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
  socket = liveSocket;
  viewport = new ViewportSubscription(map.map, (bbox) => liveSocket.send({ type: 'subscribe', bbox }));
  liveSocket.start();
}

void start();
