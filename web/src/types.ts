import type { Feature, FeatureCollection, LineString, MultiPolygon, Point, Polygon } from 'geojson';

export const UNIT_TYPES = ['drone', 'vehicle', 'boat', 'foot', 'aircraft', 'sensor'] as const;
export type UnitType = (typeof UNIT_TYPES)[number];

export const UNIT_STATUSES = ['live', 'stale', 'lost'] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];

export type Role = 'viewer' | 'operator' | 'admin';
export type Severity = 'info' | 'warning' | 'critical';
export const ALERT_TYPES = ['enter', 'exit', 'dwell', 'stale', 'lost', 'detection', 'escalated'] as const;
export type AlertType = (typeof ALERT_TYPES)[number];
export const SEVERITIES = ['critical', 'warning', 'info'] as const;

/** A unit's latest position as carried by /ws/live (API.md §7). */
export interface Unit {
  id: string;
  type: UnitType;
  lat: number;
  lon: number;
  time: string;
  speed: number | null;
  heading: number | null;
  status: UnitStatus;
}

/** A unit's last-known position as GET /api/v1/units returns it (API.md §4). */
export interface UnitProperties {
  id: string;
  name: string | null;
  type: UnitType;
  agency: string | null;
  time: string;
  speed: number | null;
  heading: number | null;
  alt: number | null;
  accuracy: number | null;
  battery: number | null;
  attributes: Record<string, unknown> | null;
  status: UnitStatus;
  /** A sensor's kind, coverage and field of view (API.md §10); absent or null for other units. */
  sensor?: SensorInfo | null;
}

export const SENSOR_KINDS = ['seismic', 'motion', 'camera', 'radar'] as const;
export type SensorKind = (typeof SENSOR_KINDS)[number];

/** `properties.sensor` of a unit of type sensor (API.md §10): cameras and radars look along `bearing`. */
export interface SensorInfo {
  kind: SensorKind;
  coverage?: Polygon;
  bearing?: number;
  fovDegrees?: number;
  rangeMeters?: number;
}

/** What the app knows of a unit: its live position, and its registry entry once REST has named it. */
export interface FleetUnit extends Unit {
  name: string | null;
  agency: string | null;
  /** A TAK callsign reported with the last fix, when it differs from the name. */
  callsign: string | null;
}

export interface Agency {
  id: string;
  name: string;
}

export type UnitCollection = FeatureCollection<Point, UnitProperties>;

/** GET /api/v1/units/{id}/track: the positions in a time range, one time per vertex, oldest first. */
export type Track = Feature<
  LineString,
  {
    unitId: string;
    times: string[];
    alts?: (number | null)[];
    batteries?: (number | null)[];
    accuracies?: (number | null)[];
    attributes?: (Record<string, unknown> | null)[];
  }
>;

export interface Alert {
  id: string;
  type: AlertType;
  unitId: string;
  geofenceId?: string;
  geofenceName?: string;
  severity: Severity;
  time: string;
  detectedAt: string;
  lat: number;
  lon: number;
  ackedBy?: string;
  ackedAt?: string;
  /** The note given with the first acknowledgement. */
  comment?: string;
  /** A grouped silence alert: every unit that fell silent together (unitId is the first). */
  units?: string[];
  /** A detection incident: how many detections it joined. */
  detections?: number;
  /** A detection alert: the nearest live patrol units when it was raised or last grew, nearest first. */
  nearest?: NearestUnit[];
  /** The unit an operator sent, who sent it and when; `arrivedAt` once it got there (the alert then closes). */
  assignedUnitId?: string;
  assignedBy?: string;
  assignedAt?: string;
  arrivedAt?: string;
  /** A contact's enter or exit alert: `unitId` is the contact's id too (API.md §10). */
  contactId?: string;
  contactAgency?: string;
}

export interface NearestUnit {
  unitId: string;
  distanceMeters: number;
  etaSeconds: number;
}

/** /ws/live: a sensor's detection where it was placed; `alertId` is the incident it raised or grew (API.md §10). */
export interface Detection {
  id: string;
  sensorId: string;
  time: string;
  kind: string;
  lat: number;
  lon: number;
  bearing: number | null;
  rangeMeters: number | null;
  confidence: number | null;
  alertId: string | null;
}

/** /ws/live: an alert was acknowledged, on any node (API.md §7). */
export interface AckMessage {
  type: 'ack';
  alertId: string;
  ackedBy: string;
  ackedAt: string;
  comment: string | null;
}

export const CONTACT_KINDS = ['aircraft', 'vessel', 'person', 'vehicle'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];
export type ContactStatus = 'live' | 'stale' | 'dropped';

/**
 * /ws/live `contacts` frames: an object that carries no tracker (radar, camera, ADS-B, AIS; API.md §10), at its newest
 * fix. `alt` metres, `speed` m/s, `heading` degrees, each null when unknown.
 */
export interface Contact {
  id: string;
  source: string;
  trackId: string;
  kind: ContactKind | null;
  name: string | null;
  agency: string | null;
  lat: number;
  lon: number;
  alt: number | null;
  time: string;
  speed: number | null;
  heading: number | null;
  status: ContactStatus;
  /** Only over REST (GET /api/v1/contacts); frames leave it out. */
  attributes?: Record<string, unknown> | null;
}

/** GET /api/v1/contacts: each contact at its newest fix. */
export type ContactCollection = FeatureCollection<Point, Omit<Contact, 'lat' | 'lon'>>;

/** GET /api/v1/contacts/{id}/track: a contact's fixes in time order, the arrays parallel to the coordinates. */
export type ContactTrack = Feature<
  LineString,
  { contactId: string; times: string[]; speeds: (number | null)[]; headings: (number | null)[]; alts: (number | null)[] }
>;

export interface ContactsMessage {
  type: 'contacts';
  contacts: Contact[];
  /** Right after a snapshot: every contact of the live picture in the box; the map drops the others. */
  snapshot?: boolean;
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export type Target = 'units' | 'contacts';

export interface GeofenceRules {
  enter?: boolean;
  exit?: boolean;
  dwellSeconds?: number;
}

/** A weekly window in which the fence raises alerts; `to` not after `from` runs past midnight (API.md §5). */
export interface GeofenceSchedule {
  tz?: string;
  days?: Weekday[];
  from: string;
  to: string;
}

/** A fence's properties (API.md §5); any other property a client set is kept by the server and returned as given. */
export interface GeofenceProperties {
  name: string;
  severity: Severity;
  rules?: GeofenceRules;
  unitTypes?: UnitType[];
  radiusMeters?: number;
  bufferMeters?: number;
  /** A circle's centre or a corridor's line, as submitted; `geometry` is then the polygon the server drew. */
  sourceGeometry?: Point | LineString;
  marginMeters?: number;
  schedule?: GeofenceSchedule;
  targets?: Target[];
  maxAltitudeMeters?: number;
  contactKinds?: string[];
  updatedAt?: string;
  revision?: number;
  agency?: string;
  [other: string]: unknown;
}

/** Fence properties as a form fills them: a field left empty is undefined, and absent once sent. */
export type GeofenceFields = { [K in keyof GeofenceProperties]?: GeofenceProperties[K] | undefined } & {
  name: string;
  severity: Severity;
};

export type Geofence = Feature<Polygon | MultiPolygon, GeofenceProperties>;
/** What POST and PUT /api/v1/geofences take: an area, a circle's centre or a corridor's line. */
export type GeofenceInput = Feature<Polygon | MultiPolygon | Point | LineString, GeofenceProperties>;
export type GeofenceCollection = FeatureCollection<Polygon | MultiPolygon, GeofenceProperties>;

export interface Session {
  username: string;
  token: string;
  role: Role;
  /** The user's agency; absent in a session stored before the app kept it. */
  agency?: string;
  expiresAt: string;
}

/** /ws/live: the server lost its database ('down') or has it back ('up'), since the given time (API.md §7). */
export interface HealthMessage {
  type: 'health';
  database: 'up' | 'down';
  since: string;
}

export type ServerMessage =
  | { type: 'snapshot'; units: Unit[] }
  | { type: 'positions'; units: Unit[] }
  | { type: 'alert'; alert: Alert }
  | { type: 'geofence'; op: 'upsert'; feature: Geofence }
  | { type: 'geofence'; op: 'delete'; id: string }
  | { type: 'status'; unitId: string; status: UnitStatus }
  | { type: 'detection'; detection: Detection }
  | AckMessage
  | ContactsMessage
  | HealthMessage;
