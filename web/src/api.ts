import type {
  Agency,
  Alert,
  ContactCollection,
  ContactTrack,
  Geofence,
  GeofenceCollection,
  GeofenceInput,
  Role,
  Session,
  Track,
  UnitCollection,
} from './types';
import { readNdjson } from './replay';

const SESSION_KEY = 'bw.session';

/** The server answered 401: the session is gone (or the login was refused). */
export class UnauthorizedError extends Error {
  constructor() {
    super('Unauthorized');
    this.name = 'UnauthorizedError';
  }
}

export function loadSession(): Session | null {
  const raw = sessionStorage.getItem(SESSION_KEY);
  return raw === null ? null : (JSON.parse(raw) as Session);
}

export function clearSession(): void {
  sessionStorage.removeItem(SESSION_KEY);
}

let unauthorized: () => void = () => undefined;

/** Registers what happens when any authenticated call gets a 401. */
export function onUnauthorized(handler: () => void): void {
  unauthorized = handler;
}

/** The server refused a request: its status, and the input at fault and why when it named them (API.md: errors). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly field: string | null,
    readonly detail: string | null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Errors a caller may ignore: the session ended or the request was cancelled with it. */
export function isBenign(error: unknown): boolean {
  return error instanceof UnauthorizedError || (error instanceof DOMException && error.name === 'AbortError');
}

/**
 * A call with the session's bearer token; a 401 ends the session, any other failure rejects with an ApiError naming
 * the server's field and reason. Returns the response unread, for those that stream it.
 */
async function authorized(path: string, signal: AbortSignal, init: RequestInit = {}): Promise<Response> {
  const session = loadSession();
  const headers = new Headers(init.headers);
  if (session !== null) {
    headers.set('Authorization', `Bearer ${session.token}`);
  }
  const response = await fetch(path, { ...init, headers, signal });
  if (response.status === 401) {
    unauthorized();
    throw new UnauthorizedError();
  }
  if (!response.ok) {
    const { error, field } = errorBody(await response.text());
    const where = path.split('?')[0] ?? path;
    throw new ApiError(`${init.method ?? 'GET'} ${where}: HTTP ${response.status}`, response.status, field, error);
  }
  return response;
}

export async function request<T>(path: string, signal: AbortSignal, init: RequestInit = {}): Promise<T> {
  const response = await authorized(path, signal, init);
  const body = await response.text();
  return (body === '' ? undefined : JSON.parse(body)) as T;
}

function errorBody(body: string): { error: string | null; field: string | null } {
  try {
    const parsed = JSON.parse(body) as { error?: unknown; field?: unknown };
    return {
      error: typeof parsed.error === 'string' ? parsed.error : null,
      field: typeof parsed.field === 'string' ? parsed.field : null,
    };
  } catch {
    return { error: null, field: null };
  }
}

/** A JSON request body for `request`. */
export function json(method: string, body: unknown): RequestInit {
  return { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

/** Signs in; rejects with UnauthorizedError on wrong credentials. */
export async function login(username: string, password: string): Promise<Session> {
  const response = await fetch('/api/v1/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (response.status === 401) {
    throw new UnauthorizedError();
  }
  if (response.status === 429) {
    const minutes = Math.max(1, Math.ceil(Number(response.headers.get('Retry-After') ?? '60') / 60));
    throw new Error(`Too many failed sign-ins: try again in ${minutes} min`);
  }
  if (!response.ok) {
    throw new Error(`Sign-in failed: HTTP ${response.status}`);
  }
  const body = (await response.json()) as { token: string; role: Role; agency?: string; expiresAt: string };
  const session: Session = {
    username,
    token: body.token,
    role: body.role,
    ...(body.agency === undefined ? {} : { agency: body.agency }),
    expiresAt: body.expiresAt,
  };
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  return session;
}

export function fetchGeofences(signal: AbortSignal): Promise<GeofenceCollection> {
  return request<GeofenceCollection>('/api/v1/geofences', signal);
}

/** Creates (no id) or replaces a geofence; resolves to the stored feature (API.md §5). */
export function saveGeofence(signal: AbortSignal, id: string | null, feature: GeofenceInput): Promise<Geofence> {
  return id === null
    ? request<Geofence>('/api/v1/geofences', signal, json('POST', feature))
    : request<Geofence>(`/api/v1/geofences/${encodeURIComponent(id)}`, signal, json('PUT', feature));
}

export function deleteGeofence(signal: AbortSignal, id: string): Promise<void> {
  return request<void>(`/api/v1/geofences/${encodeURIComponent(id)}`, signal, { method: 'DELETE' });
}

export function fetchUnits(signal: AbortSignal): Promise<UnitCollection> {
  return request<UnitCollection>('/api/v1/units', signal);
}

export function fetchTrack(signal: AbortSignal, unitId: string, from: Date, to: Date): Promise<Track> {
  const range = new URLSearchParams({ from: from.toISOString(), to: to.toISOString() });
  return request<Track>(`/api/v1/units/${encodeURIComponent(unitId)}/track?${range}`, signal);
}

/** The newest alerts, or (acked false) the newest still open. */
export function fetchAlerts(signal: AbortSignal, limit: number, acked?: boolean): Promise<Alert[]> {
  const query = new URLSearchParams({ limit: String(limit) });
  if (acked !== undefined) {
    query.set('acked', String(acked));
  }
  return request<Alert[]>(`/api/v1/alerts?${query}`, signal);
}

/** A contact's trail from `from` until now (API.md §10). */
export function fetchContactTrack(signal: AbortSignal, contactId: string, from: Date): Promise<ContactTrack> {
  const range = new URLSearchParams({ from: from.toISOString() });
  return request<ContactTrack>(`/api/v1/contacts/${encodeURIComponent(contactId)}/track?${range}`, signal);
}

/** The live picture's contacts in a box `[w, s, e, n]`, with the attributes the stream leaves out. */
export function fetchContacts(signal: AbortSignal, bbox: readonly number[]): Promise<ContactCollection> {
  return request<ContactCollection>(`/api/v1/contacts?bbox=${bbox.join(',')}`, signal);
}

/** Alerts detected since `since`, newest first (the API has no upper bound: the caller cuts the window's end). */
export function fetchAlertsSince(signal: AbortSignal, since: Date, limit: number): Promise<Alert[]> {
  const query = new URLSearchParams({ since: since.toISOString(), limit: String(limit) });
  return request<Alert[]>(`/api/v1/alerts?${query}`, signal);
}

/**
 * Every stored fix of the window (in the box, if any) in time order, handed to `take` line by line as the NDJSON
 * streams in (API.md §11); `take` returning false stops reading. Resolves true when the whole window was read.
 */
export async function streamReplay(
  signal: AbortSignal,
  from: Date,
  to: Date,
  bbox: readonly number[] | null,
  take: (fix: unknown) => boolean,
): Promise<boolean> {
  const query = new URLSearchParams({ from: from.toISOString(), to: to.toISOString() });
  if (bbox !== null) {
    query.set('bbox', bbox.join(','));
  }
  const response = await authorized(`/api/v1/history/replay?${query}`, signal);
  return response.body === null ? true : readNdjson(response.body, take);
}

export type ExportFormat = 'gpx' | 'kml' | 'csv' | 'geojson';
/** What an export covers: named units' tracks, or every unit's fixes inside a box. */
export type ExportScope = { unitIds: readonly string[] } | { bbox: readonly number[] };

/** A history export (API.md §11) as a file: the server's name for it and its content. */
export async function fetchExport(
  signal: AbortSignal,
  scope: ExportScope,
  from: Date,
  to: Date,
  format: ExportFormat,
): Promise<{ name: string; blob: Blob }> {
  let response: Response;
  if ('unitIds' in scope) {
    const query = new URLSearchParams({
      unitIds: scope.unitIds.join(','),
      from: from.toISOString(),
      to: to.toISOString(),
      format,
    });
    response = await authorized(`/api/v1/history/tracks?${query}`, signal);
  } else {
    const [w = 0, s = 0, e = 0, n = 0] = scope.bbox;
    const geometry = { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] };
    response = await authorized(`/api/v1/history/within?format=${format}`, signal, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ geometry, from: from.toISOString(), to: to.toISOString() }),
    });
  }
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `borderwatch-history.${format}`;
  return { name, blob: await response.blob() };
}

export function fetchAgencies(signal: AbortSignal): Promise<Agency[]> {
  return request<Agency[]>('/api/v1/agencies', signal);
}

/** Acknowledges an alert; resolves to the updated alert when the server returns one. */
export function ackAlert(signal: AbortSignal, id: string, comment?: string): Promise<Alert | undefined> {
  return request<Alert | undefined>(`/api/v1/alerts/${encodeURIComponent(id)}/ack`, signal, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(comment === undefined || comment.trim() === '' ? {} : { comment }),
  });
}

/** Sends a unit to an alert (API.md §10); resolves to the alert with its assignment. */
export function assignAlert(signal: AbortSignal, id: string, unitId: string): Promise<Alert> {
  return request<Alert>(`/api/v1/alerts/${encodeURIComponent(id)}/assign`, signal, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ unitId }),
  });
}

/** Signs the session's token out on the server, so no node takes it any more; best effort, never waited for. */
export function logout(): void {
  const session = loadSession();
  if (session === null) {
    return;
  }
  void fetch('/api/v1/logout', {
    method: 'POST',
    headers: { Authorization: `Bearer ${session.token}` },
    keepalive: true,
  }).catch(() => undefined);
}
