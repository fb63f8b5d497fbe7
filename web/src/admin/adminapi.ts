import { json, request } from '../api';
import type { Agency, AlertType, Role, UnitCollection, UnitType } from '../types';

/** The administration calls of API.md §3, §4, §6 and §9; every rule is the server's, this only asks. */

export interface User {
  username: string;
  role: Role;
  agency: string;
  disabled: boolean;
  createdAt: string;
}

export interface CreatedUnit {
  id: string;
  name: string;
  type: UnitType;
  agency: string;
  deviceKey: string;
}

export interface Share {
  id: string;
  from: string;
  to: string;
  unitTypes: UnitType[] | null;
  unitIds: string[] | null;
}

export interface Webhook {
  id: string;
  url: string;
  agency: string;
  types: AlertType[] | null;
  createdAt: string;
}

export interface Delivery {
  alertId: string;
  state: 'pending' | 'delivered' | 'dead';
  attempts: number;
  queuedAt: string;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  deadAt: string | null;
  lastError: string | null;
}

export interface AuditEntry {
  id: number;
  time: string;
  actor: string | null;
  agency: string | null;
  action: string;
  target: string | null;
  address: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export const AUDIT_ACTIONS = [
  'login', 'login.failed', 'logout', 'user.create', 'user.update', 'unit.create', 'unit.update', 'unit.key',
  'agency.create', 'share.create', 'share.delete', 'geofence.create', 'geofence.update', 'geofence.delete',
  'webhook.create', 'webhook.delete', 'alert.ack', 'alert.assign',
] as const;

const path = encodeURIComponent;

export const listUsers = (signal: AbortSignal) => request<User[]>('/api/v1/users', signal);
export const createUser = (signal: AbortSignal, body: { username: string; password: string; role: Role; agency?: string }) =>
  request<User>('/api/v1/users', signal, json('POST', body));
export const changeUser = (signal: AbortSignal, username: string, change: { role?: Role; password?: string; disabled?: boolean }) =>
  request<User>(`/api/v1/users/${path(username)}`, signal, json('PATCH', change));

export const listUnits = (signal: AbortSignal) => request<UnitCollection>('/api/v1/units', signal);
export const createUnit = (signal: AbortSignal, body: { id: string; name?: string; type: UnitType; agency?: string }) =>
  request<CreatedUnit>('/api/v1/units', signal, json('POST', body));
export const rotateKey = (signal: AbortSignal, id: string) =>
  request<{ deviceKey: string }>(`/api/v1/units/${path(id)}/key`, signal, { method: 'POST' });

export const listAgencies = (signal: AbortSignal) => request<Agency[]>('/api/v1/agencies', signal);
export const createAgency = (signal: AbortSignal, agency: Agency) =>
  request<Agency>('/api/v1/agencies', signal, json('POST', agency));
export const listShares = (signal: AbortSignal) => request<Share[]>('/api/v1/shares', signal);
export const createShare = (signal: AbortSignal, body: { from: string; to: string; unitTypes?: UnitType[]; unitIds?: string[] }) =>
  request<Share>('/api/v1/shares', signal, json('POST', body));
export const deleteShare = (signal: AbortSignal, id: string) =>
  request<void>(`/api/v1/shares/${path(id)}`, signal, { method: 'DELETE' });

export const listWebhooks = (signal: AbortSignal) => request<Webhook[]>('/api/v1/webhooks', signal);
export const createWebhook = (signal: AbortSignal, body: { url: string; secret: string; types?: AlertType[] }) =>
  request<Webhook>('/api/v1/webhooks', signal, json('POST', body));
export const deleteWebhook = (signal: AbortSignal, id: string) =>
  request<void>(`/api/v1/webhooks/${path(id)}`, signal, { method: 'DELETE' });
export const listDeliveries = (signal: AbortSignal, id: string, state: string, limit: number) => {
  const query = new URLSearchParams({ limit: String(limit) });
  if (state !== '') {
    query.set('state', state);
  }
  return request<Delivery[]>(`/api/v1/webhooks/${path(id)}/deliveries?${query}`, signal);
};

export const listAudit = (signal: AbortSignal, filter: { actor: string; action: string; limit: number }) => {
  const query = new URLSearchParams({ limit: String(filter.limit) });
  if (filter.actor !== '') {
    query.set('actor', filter.actor);
  }
  if (filter.action !== '') {
    query.set('action', filter.action);
  }
  return request<AuditEntry[]>(`/api/v1/audit?${query}`, signal);
};
