import type { Feature, FeatureCollection, LineString, Point, Position } from 'geojson';
import type { ExpressionSpecification, GeoJSONSource, Map as MapLibreMap, Subscription } from 'maplibre-gl';
import type { Contacts } from '../contacts';
import { CONTACT_COLOR, CONTACT_STALE_COLOR } from '../palette';
import type { Contact, ContactTrack } from '../types';
import { CONTACT_IMAGE, type ContactShape } from './contacticons';

const SOURCE = 'contacts';
const TRAILS_SOURCE = 'contact-trails';
const TRACK_SOURCE = 'contact-track';
export const CONTACTS_LAYER = 'contacts';
const TRAILS_LAYER = 'contact-trails';
const TRACK_LAYER = 'contact-track';
const HALO_LAYER = 'contact-halo';
const LABELS_LAYER = 'contact-labels';
const FULL_LABELS_LAYER = 'contact-labels-full';
/** Layers a click may hit. */
export const CONTACT_PICK_LAYERS = [CONTACTS_LAYER, LABELS_LAYER, FULL_LABELS_LAYER];
const LAYERS = [TRAILS_LAYER, TRACK_LAYER, HALO_LAYER, CONTACTS_LAYER, LABELS_LAYER, FULL_LABELS_LAYER];
/** The name (or track number) from this zoom; altitude or speed from the next step in, where there is room. */
const LABEL_MIN_ZOOM = 9;
const FULL_LABEL_MIN_ZOOM = 10.5;
const TRAIL_MIN_ZOOM = 8;
/** Label images drawn so far; beyond this many, those no contact shows now are dropped (redrawn if asked again). */
const MAX_LABEL_IMAGES = 400;
const FEET_PER_M = 1 / 0.3048;
const KNOTS_PER_MS = 3600 / 1852;

/** An aircraft's height in feet (to 100) and metres (to 10): stable enough that its label is not redrawn every fix. */
export function altitudeLabel(alt: number): string {
  const feet = Math.round((alt * FEET_PER_M) / 100) * 100;
  return `${feet.toLocaleString('en-US')} ft · ${Math.round(alt / 10) * 10} m`;
}

export function knots(speed: number): number {
  return Math.round(speed * KNOTS_PER_MS);
}

export function contactName(contact: Contact): string {
  return contact.name ?? contact.trackId;
}

/** The label zoomed in: an aircraft's altitude, a vessel's speed in knots (the units their crews speak in). */
function fullLabel(contact: Contact): string {
  const name = contactName(contact);
  if (contact.kind === 'aircraft' && contact.alt !== null) {
    return `${name} · ${altitudeLabel(contact.alt)}`;
  }
  if (contact.kind === 'vessel' && contact.speed !== null) {
    return `${name} · ${knots(contact.speed)} kn`;
  }
  return name;
}

/**
 * Contacts apart from own units: hollow yellow outlines by kind (aircraft, vessel, person, vehicle, a diamond when
 * unknown) rotated by heading, short dashed trails of their recent fixes, labels when zoomed in; stale ones grey and
 * dashed. The selected contact's stored trail is drawn over its recent one.
 */
export class ContactLayer {
  private readonly subscriptions: Subscription[];
  private readonly labels = new Set<string>();
  private frame: number | null = null;
  private shown = true;
  private selected: string | null = null;
  private track: Position[] = [];
  private trackTimes: number[] = [];

  constructor(
    private readonly map: MapLibreMap,
    private readonly contacts: Contacts,
    beforeId: string,
  ) {
    const empty: FeatureCollection = { type: 'FeatureCollection', features: [] };
    map.addSource(SOURCE, { type: 'geojson', data: empty });
    map.addSource(TRAILS_SOURCE, { type: 'geojson', data: empty });
    map.addSource(TRACK_SOURCE, { type: 'geojson', data: empty });
    const color: ExpressionSpecification = ['match', ['get', 'status'], 'live', CONTACT_COLOR, CONTACT_STALE_COLOR];
    map.addLayer(
      {
        id: TRAILS_LAYER,
        type: 'line',
        source: TRAILS_SOURCE,
        minzoom: TRAIL_MIN_ZOOM,
        layout: { 'line-join': 'round', 'line-cap': 'butt' },
        paint: { 'line-color': color, 'line-width': 2.5, 'line-opacity': 0.8, 'line-dasharray': [2, 1.5] },
      },
      beforeId,
    );
    map.addLayer(
      {
        id: TRACK_LAYER,
        type: 'line',
        source: TRACK_SOURCE,
        filter: ['==', ['geometry-type'], 'LineString'],
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: { 'line-color': CONTACT_COLOR, 'line-width': 3.5, 'line-opacity': 0.9 },
      },
      beforeId,
    );
    map.addLayer(
      {
        id: HALO_LAYER,
        type: 'circle',
        source: TRACK_SOURCE,
        filter: ['==', ['geometry-type'], 'Point'],
        paint: { 'circle-radius': 26, 'circle-color': CONTACT_COLOR, 'circle-opacity': 0.35, 'circle-blur': 0.4 },
      },
      beforeId,
    );
    map.addLayer(
      {
        id: CONTACTS_LAYER,
        type: 'symbol',
        source: SOURCE,
        layout: {
          'icon-image': ['get', 'icon'],
          'icon-rotate': ['get', 'rotation'],
          'icon-rotation-alignment': 'map',
          'icon-allow-overlap': true,
          'icon-ignore-placement': true,
        },
      },
      beforeId,
    );
    for (const [id, minzoom, maxzoom, property] of [
      [LABELS_LAYER, LABEL_MIN_ZOOM, FULL_LABEL_MIN_ZOOM, 'label'],
      [FULL_LABELS_LAYER, FULL_LABEL_MIN_ZOOM, 24, 'fullLabel'],
    ] as const) {
      map.addLayer(
        {
          id,
          type: 'symbol',
          source: SOURCE,
          minzoom,
          maxzoom,
          layout: {
            'icon-image': ['get', property],
            'icon-anchor': 'top',
            'icon-offset': [0, 18],
            'icon-padding': 1,
          },
        },
        beforeId,
      );
    }
    const canvas = map.getCanvas();
    this.subscriptions = [
      map.on('mouseenter', CONTACT_PICK_LAYERS, () => (canvas.style.cursor = 'pointer')),
      map.on('mouseleave', CONTACT_PICK_LAYERS, () => (canvas.style.cursor = '')),
    ];
    contacts.onChange(({ updated, removed }) => {
      this.extendTrack(updated);
      if (this.selected !== null && removed.includes(this.selected)) {
        this.select(null);
      }
      this.renderSoon();
    });
  }

  get visible(): boolean {
    return this.shown;
  }

  /** Shows or hides every contact layer (the operator's toggle; replay hides them too). */
  setVisible(shown: boolean): void {
    this.shown = shown;
    for (const layer of LAYERS) {
      this.map.setLayoutProperty(layer, 'visibility', shown ? 'visible' : 'none');
    }
  }

  /** Marks a contact and draws its stored trail from `load`, extended by the stream; null clears it. */
  async select(contactId: string | null, load?: () => Promise<ContactTrack>): Promise<void> {
    this.selected = contactId;
    this.track = [];
    this.trackTimes = [];
    const contact = contactId === null ? undefined : this.contacts.get(contactId);
    if (contact !== undefined) {
      this.extendTrack([contact]);
    }
    this.renderTrack();
    if (contactId === null || load === undefined) {
      return;
    }
    const track = await load();
    if (this.selected !== contactId) {
      return;
    }
    const live = this.contacts.get(contactId);
    this.track = [...track.geometry.coordinates];
    this.trackTimes = track.properties.times.map((time) => Date.parse(time));
    if (live !== undefined) {
      this.extendTrack([live]);
    }
    this.renderTrack();
  }

  /** Vertices of the selected contact's trail, for the browser tests. */
  drawnTrack(): number {
    return this.track.length;
  }

  remove(): void {
    if (this.frame !== null) {
      cancelAnimationFrame(this.frame);
    }
    this.subscriptions.forEach((subscription) => subscription.unsubscribe());
    for (const layer of [...LAYERS].reverse()) {
      this.map.removeLayer(layer);
    }
    for (const source of [SOURCE, TRAILS_SOURCE, TRACK_SOURCE]) {
      this.map.removeSource(source);
    }
  }

  private extendTrack(updated: readonly Contact[]): void {
    let changed = false;
    for (const contact of updated) {
      const time = Date.parse(contact.time);
      const last = this.trackTimes.at(-1);
      if (contact.id === this.selected && (last === undefined || time > last)) {
        this.track.push([contact.lon, contact.lat]);
        this.trackTimes.push(time);
        changed = true;
      }
    }
    if (changed) {
      this.renderTrack();
    }
  }

  private renderTrack(): void {
    const features: Feature<LineString | Point>[] = [];
    if (this.track.length > 1) {
      features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: [...this.track] }, properties: {} });
    }
    const head = this.track.at(-1);
    if (head !== undefined) {
      features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: head }, properties: {} });
    }
    void this.map.getSource<GeoJSONSource>(TRACK_SOURCE)?.setData({ type: 'FeatureCollection', features });
  }

  private renderSoon(): void {
    this.frame ??= requestAnimationFrame(() => {
      this.frame = null;
      this.render();
    });
  }

  private render(): void {
    const points: Feature<Point>[] = [];
    const trails: Feature<LineString>[] = [];
    const used = new Set<string>();
    for (const contact of this.contacts.all()) {
      const status = contact.status === 'stale' ? 'stale' : 'live';
      const shape: ContactShape = contact.kind ?? 'unknown';
      const label = CONTACT_IMAGE.label(status, contactName(contact));
      const full = CONTACT_IMAGE.label(status, fullLabel(contact));
      used.add(label).add(full);
      points.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [contact.lon, contact.lat] },
        properties: {
          id: contact.id,
          status,
          icon: CONTACT_IMAGE.icon(shape, status, contact.heading !== null),
          rotation: contact.heading ?? 0,
          label,
          fullLabel: full,
        },
      });
      const trail = this.contacts.trail(contact.id);
      if (trail.length > 1) {
        trails.push({
          type: 'Feature',
          geometry: { type: 'LineString', coordinates: trail.map((point) => [point.lon, point.lat]) },
          properties: { status },
        });
      }
    }
    void this.map.getSource<GeoJSONSource>(SOURCE)?.setData({ type: 'FeatureCollection', features: points });
    void this.map.getSource<GeoJSONSource>(TRAILS_SOURCE)?.setData({ type: 'FeatureCollection', features: trails });
    used.forEach((name) => this.labels.add(name));
    if (this.labels.size > MAX_LABEL_IMAGES) {
      for (const name of this.labels) {
        if (!used.has(name) && this.map.hasImage(name)) {
          this.map.removeImage(name);
        }
        if (!used.has(name)) {
          this.labels.delete(name);
        }
      }
    }
  }
}
