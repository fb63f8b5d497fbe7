import { el, utcTime } from '../dom';
import type { Contact } from '../types';
import { ageText, altitudeText, attributeText, headingText, setText, speedText } from './unitcard';

/** Attributes the source sent with the newest fix: the card lists this many. */
const MAX_ATTRIBUTES = 12;
const MAX_KEY_CHARS = 60;

export interface ContactCardOptions {
  /** The trail drawn for the shown contact, named on the card's legend. */
  trailMinutes: number;
  close(): void;
}

/**
 * The card over the map with one contact's details (an aircraft, a vessel, a radar track: not one of ours), kept
 * current from the stream until it is closed. It stands where the unit card does; the app shows one at a time.
 */
export class ContactCard {
  readonly element: HTMLElement;
  private contact: Contact | null = null;
  private agencyNames = new Map<string, string>();
  private readonly id: HTMLElement;
  private readonly name: HTMLElement;
  private readonly source: HTMLElement;
  private readonly kind: HTMLElement;
  private readonly agency: HTMLElement;
  private readonly status: HTMLElement;
  private readonly altitude: HTMLElement;
  private readonly speed: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly fixTime: HTMLTimeElement;
  private readonly fixAge: HTMLElement;
  private readonly position: HTMLElement;
  private readonly attributes: HTMLElement;
  private ticker: number | undefined;
  private readonly closeOnEscape = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      this.options.close();
    }
  };

  constructor(private readonly options: ContactCardOptions) {
    this.id = el('h2', { class: 'unit-card-id', testid: 'contact-card-id', attrs: { id: 'contact-card-id' } });
    this.name = el('p', { class: 'unit-card-name', testid: 'contact-card-name' });
    this.source = el('dd', { testid: 'contact-card-source' });
    this.kind = el('dd', { class: 'unit-card-type', testid: 'contact-card-kind' });
    this.agency = el('dd', { testid: 'contact-card-agency' });
    this.status = el('dd', { class: 'unit-card-status', testid: 'contact-card-status' });
    this.altitude = el('dd', { testid: 'contact-card-altitude' });
    this.speed = el('dd', { testid: 'contact-card-speed' });
    this.heading = el('dd', { testid: 'contact-card-heading' });
    this.fixTime = el('time', { testid: 'contact-card-time' });
    this.fixAge = el('span', { class: 'unit-card-age', testid: 'contact-card-age' });
    this.position = el('dd', { testid: 'contact-card-position' });
    this.attributes = el('dl', { class: 'unit-card-attributes', testid: 'contact-card-attributes' });
    this.attributes.hidden = true;
    const close = el('button', {
      class: 'unit-card-close',
      text: '✕',
      testid: 'contact-card-close',
      attrs: { type: 'button', 'aria-label': 'Close contact card', title: 'Close (Esc)' },
    });
    close.addEventListener('click', () => this.options.close());
    const row = (label: string, value: HTMLElement) => [el('dt', { text: label }), value];
    this.element = el(
      'section',
      { class: 'unit-card contact-card', testid: 'contact-card', attrs: { 'aria-labelledby': 'contact-card-id', hidden: '' } },
      el(
        'header',
        { class: 'unit-card-head' },
        el('div', {}, el('p', { class: 'contact-card-tag', text: 'Contact · not own unit' }), this.id, this.name),
        el('div', { class: 'unit-card-actions' }, close),
      ),
      el(
        'dl',
        { class: 'unit-card-fields' },
        ...row('Source', this.source),
        ...row('Kind', this.kind),
        ...row('Agency', this.agency),
        ...row('Status', this.status),
        ...row('Altitude', this.altitude),
        ...row('Speed', this.speed),
        ...row('Heading', this.heading),
        ...row('Last fix', el('dd', {}, this.fixTime, this.fixAge)),
        ...row('Lat, lon', this.position),
      ),
      this.attributes,
      el('p', { class: 'unit-card-legend contact-card-legend', text: `Trail, last ${options.trailMinutes} min` }),
    );
  }

  /** The contact shown, or null when the card is closed. */
  get contactId(): string | null {
    return this.element.hidden ? null : (this.contact?.id ?? null);
  }

  setAgencies(names: ReadonlyMap<string, string>): void {
    this.agencyNames = new Map(names);
    if (this.contact !== null) {
      this.update(this.contact);
    }
  }

  show(contact: Contact): void {
    if (this.contact?.id !== contact.id) {
      this.setAttributes(null);
    }
    this.contact = contact;
    this.update(contact);
    if (this.element.hidden) {
      this.element.hidden = false;
      document.addEventListener('keydown', this.closeOnEscape);
      this.ticker = window.setInterval(() => this.tick(), 1000);
    }
  }

  /** The contact's latest state; ignored unless it is the one shown. */
  update(contact: Contact): void {
    if (this.contact?.id !== contact.id) {
      return;
    }
    this.contact = contact;
    this.element.dataset['status'] = contact.status;
    this.element.dataset['contactId'] = contact.id;
    setText(this.id, contact.id);
    setText(this.name, contact.name ?? '');
    setText(this.source, `${contact.source} · track ${contact.trackId}`);
    setText(this.kind, contact.kind ?? 'unknown');
    setText(this.agency, contact.agency === null ? '—' : (this.agencyNames.get(contact.agency) ?? contact.agency));
    setText(this.status, contact.status);
    setText(this.altitude, altitudeText(contact.alt));
    setText(this.speed, speedText(contact.speed));
    setText(this.heading, headingText(contact.heading));
    setText(this.fixTime, `${utcTime(contact.time)}Z`);
    this.fixTime.dateTime = contact.time;
    setText(this.position, `${contact.lat.toFixed(5)}, ${contact.lon.toFixed(5)}`);
    this.tick();
  }

  /** What the source reported beside the position (over REST: the stream leaves it out). */
  setAttributes(attributes: Record<string, unknown> | null | undefined): void {
    const entries = Object.entries(attributes ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .slice(0, MAX_ATTRIBUTES);
    this.attributes.replaceChildren(
      ...entries.flatMap(([key, value]) => [
        el('dt', { text: key.length > MAX_KEY_CHARS ? `${key.slice(0, MAX_KEY_CHARS - 1)}…` : key }),
        el('dd', { text: attributeText(value) }),
      ]),
    );
    this.attributes.hidden = entries.length === 0;
  }

  hide(): void {
    if (!this.element.hidden) {
      this.element.hidden = true;
      document.removeEventListener('keydown', this.closeOnEscape);
      window.clearInterval(this.ticker);
    }
  }

  private tick(): void {
    if (this.contact !== null) {
      setText(this.fixAge, ageText(this.contact.time, Date.now()));
    }
  }
}
