import type { Contact, ContactsMessage } from './types';

/** Fixes kept per contact for its trail: a few minutes of an aircraft reporting every few seconds. */
const MAX_TRAIL_POINTS = 40;
/** Older fixes leave the trail: it shows where a contact came from lately, not its day. */
export const TRAIL_WINDOW_MS = 10 * 60 * 1000;

/** A trail vertex: where and when. */
export interface TrailPoint {
  lon: number;
  lat: number;
  time: number;
}

export interface ContactsChange {
  updated: readonly Contact[];
  removed: readonly string[];
}

type Listener = (change: ContactsChange) => void;

/**
 * The contacts of the live picture (aircraft, vessels, radar and camera tracks; API.md §10) from /ws/live `contacts`
 * frames, with the recent fixes of each as its trail. A dropped contact is forgotten; a snapshot frame replaces all.
 */
export class Contacts {
  private readonly contacts = new Map<string, Contact>();
  private readonly trails = new Map<string, TrailPoint[]>();
  private readonly listeners: Listener[] = [];

  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  get size(): number {
    return this.contacts.size;
  }

  get(id: string): Contact | undefined {
    return this.contacts.get(id);
  }

  all(): IterableIterator<Contact> {
    return this.contacts.values();
  }

  trail(id: string): readonly TrailPoint[] {
    return this.trails.get(id) ?? [];
  }

  apply(message: ContactsMessage): void {
    const updated: Contact[] = [];
    const removed: string[] = [];
    const listed = new Set<string>();
    for (const contact of message.contacts) {
      listed.add(contact.id);
      if (contact.status === 'dropped') {
        if (this.forget(contact.id)) {
          removed.push(contact.id);
        }
        continue;
      }
      const known = this.contacts.get(contact.id);
      if (known !== undefined && Date.parse(known.time) > Date.parse(contact.time)) {
        continue; // an older fix joins the server's trail, never moves the contact back
      }
      this.contacts.set(contact.id, contact);
      this.record(contact);
      updated.push(contact);
    }
    if (message.snapshot === true) {
      for (const id of [...this.contacts.keys()]) {
        if (!listed.has(id) && this.forget(id)) {
          removed.push(id);
        }
      }
    }
    if (updated.length > 0 || removed.length > 0) {
      this.listeners.forEach((listener) => listener({ updated, removed }));
    }
  }

  private record(contact: Contact): void {
    const trail = this.trails.get(contact.id) ?? [];
    const time = Date.parse(contact.time);
    const last = trail.at(-1);
    if (last === undefined || last.time < time) {
      trail.push({ lon: contact.lon, lat: contact.lat, time });
    }
    const since = time - TRAIL_WINDOW_MS;
    while (trail.length > MAX_TRAIL_POINTS || (trail.length > 1 && (trail[0]?.time ?? time) < since)) {
      trail.shift();
    }
    this.trails.set(contact.id, trail);
  }

  private forget(id: string): boolean {
    this.trails.delete(id);
    return this.contacts.delete(id);
  }
}
