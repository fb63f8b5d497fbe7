import { el, utcTime } from '../dom';
import type { FleetUnit } from '../types';

const KMH_PER_MS = 3.6;
const KNOTS_PER_MS = 3600 / 1852;
const FEET_PER_M = 1 / 0.3048;
/** Attributes a device sent with its last fix: the card lists this many, each value cut to a line. */
const MAX_ATTRIBUTES = 12;
const MAX_ATTRIBUTE_CHARS = 60;

/** What the stream does not carry: the last fix's altitude, battery, accuracy and attributes (over REST). */
export interface FixDetails {
  time: string;
  alt: number | null;
  battery: number | null;
  accuracy: number | null;
  attributes: Record<string, unknown> | null;
}

export interface UnitCardOptions {
  /** The track the map draws for the shown unit, named on the card's legend. */
  trackMinutes: number;
  close(): void;
  /** Starts or stops following the shown unit. */
  follow(unitId: string): void;
}

export function speedText(speed: number | null): string {
  return speed === null ? '—' : `${Math.round(speed * KMH_PER_MS)} km/h · ${Math.round(speed * KNOTS_PER_MS)} kn`;
}

export function headingText(heading: number | null): string {
  return heading === null ? '—' : `${String(Math.round(heading) % 360).padStart(3, '0')}°`;
}

export function altitudeText(alt: number | null | undefined): string {
  return alt === null || alt === undefined ? '—' : `${Math.round(alt)} m · ${Math.round(alt * FEET_PER_M)} ft`;
}

function batteryText(battery: number | null | undefined): string {
  return battery === null || battery === undefined ? '—' : `${Math.round(battery)} %`;
}

export function attributeText(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_ATTRIBUTE_CHARS ? `${text.slice(0, MAX_ATTRIBUTE_CHARS - 1)}…` : text;
}

/** Seconds up to two minutes, then minutes, then hours: a watch officer reads "3 h", not "10800 s". */
export function ageText(time: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(time)) / 1000));
  if (seconds < 120) {
    return `${seconds} s ago`;
  }
  const minutes = Math.floor(seconds / 60);
  return minutes < 120 ? `${minutes} min ago` : `${Math.floor(minutes / 60)} h ago`;
}

/** Writes only on change, so an element updated every frame does not churn the DOM. */
export function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) {
    element.textContent = text;
  }
}

/** The card over the map with one unit's details, kept current from the live stream until it is closed. */
export class UnitCard {
  readonly element: HTMLElement;
  private unit: FleetUnit | null = null;
  private details: FixDetails | null = null;
  private agencyNames = new Map<string, string>();
  private readonly callsign: HTMLElement;
  private readonly name: HTMLElement;
  private readonly type: HTMLElement;
  private readonly agency: HTMLElement;
  private readonly status: HTMLElement;
  private readonly speed: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly altitude: HTMLElement;
  private readonly battery: HTMLElement;
  private readonly fixTime: HTMLTimeElement;
  private readonly fixAge: HTMLElement;
  private readonly position: HTMLElement;
  private readonly attributes: HTMLElement;
  private readonly followButton: HTMLButtonElement;
  private ticker: number | undefined;
  private readonly closeOnEscape = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      this.options.close();
    }
  };

  constructor(private readonly options: UnitCardOptions) {
    this.callsign = el('h2', { class: 'unit-card-id', testid: 'unit-card-id', attrs: { id: 'unit-card-id' } });
    this.name = el('p', { class: 'unit-card-name', testid: 'unit-card-name' });
    this.type = el('dd', { class: 'unit-card-type', testid: 'unit-card-type' });
    this.agency = el('dd', { class: 'unit-card-agency', testid: 'unit-card-agency' });
    this.status = el('dd', { class: 'unit-card-status', testid: 'unit-card-status' });
    this.speed = el('dd', { testid: 'unit-card-speed' });
    this.heading = el('dd', { testid: 'unit-card-heading' });
    this.altitude = el('dd', { testid: 'unit-card-altitude' });
    this.battery = el('dd', { testid: 'unit-card-battery' });
    this.fixTime = el('time', { testid: 'unit-card-time' });
    this.fixAge = el('span', { class: 'unit-card-age', testid: 'unit-card-age' });
    this.position = el('dd', { testid: 'unit-card-position' });
    this.attributes = el('dl', { class: 'unit-card-attributes', testid: 'unit-card-attributes' });
    const close = el('button', {
      class: 'unit-card-close',
      text: '✕',
      testid: 'unit-card-close',
      attrs: { type: 'button', 'aria-label': 'Close unit card', title: 'Close (Esc)' },
    });
    close.addEventListener('click', () => this.options.close());
    this.followButton = el('button', {
      class: 'unit-card-follow',
      text: 'Follow',
      testid: 'unit-card-follow',
      attrs: { type: 'button', 'aria-pressed': 'false', title: 'Keep this unit in the centre of the map' },
    });
    this.followButton.addEventListener('click', () => {
      if (this.unit !== null) {
        this.options.follow(this.unit.id);
      }
    });
    const row = (label: string, value: HTMLElement) => [el('dt', { text: label }), value];
    this.element = el(
      'section',
      { class: 'unit-card', testid: 'unit-card', attrs: { 'aria-labelledby': 'unit-card-id', hidden: '' } },
      el(
        'header',
        { class: 'unit-card-head' },
        el('div', {}, this.callsign, this.name),
        el('div', { class: 'unit-card-actions' }, this.followButton, close),
      ),
      el(
        'dl',
        { class: 'unit-card-fields' },
        ...row('Type', this.type),
        ...row('Agency', this.agency),
        ...row('Status', this.status),
        ...row('Speed', this.speed),
        ...row('Heading', this.heading),
        ...row('Altitude', this.altitude),
        ...row('Battery', this.battery),
        ...row('Last fix', el('dd', {}, this.fixTime, this.fixAge)),
        ...row('Lat, lon', this.position),
      ),
      this.attributes,
      el('p', { class: 'unit-card-legend', text: `Track, last ${options.trackMinutes} min` }),
    );
  }

  /** The unit shown, or null when the card is closed. */
  get unitId(): string | null {
    return this.element.hidden ? null : (this.unit?.id ?? null);
  }

  setAgencies(names: ReadonlyMap<string, string>): void {
    this.agencyNames = new Map(names);
    if (this.unit !== null) {
      this.update(this.unit);
    }
  }

  /** Opens the card on `unit`; the details of its last fix come later (`setDetails`). */
  show(unit: FleetUnit): void {
    if (this.unit?.id !== unit.id) {
      this.details = null;
      this.renderDetails();
    }
    this.unit = unit;
    this.update(unit);
    if (this.element.hidden) {
      this.element.hidden = false;
      document.addEventListener('keydown', this.closeOnEscape);
      this.ticker = window.setInterval(() => this.tick(), 1000);
    }
  }

  /** The unit's latest state; ignored unless it is the unit shown. */
  update(unit: FleetUnit): void {
    if (this.unit?.id !== unit.id) {
      return;
    }
    this.unit = unit;
    this.element.dataset['status'] = unit.status;
    this.element.dataset['unitId'] = unit.id;
    setText(this.callsign, unit.id);
    const names = [unit.name === unit.id ? null : unit.name, unit.callsign === null ? null : `callsign ${unit.callsign}`];
    setText(this.name, names.filter((name) => name !== null).join(' · '));
    setText(this.type, unit.type);
    setText(this.agency, unit.agency === null ? '—' : (this.agencyNames.get(unit.agency) ?? unit.agency));
    setText(this.status, unit.status);
    setText(this.speed, speedText(unit.speed));
    setText(this.heading, headingText(unit.heading));
    setText(this.fixTime, `${utcTime(unit.time)}Z`);
    this.fixTime.dateTime = unit.time;
    setText(this.position, `${unit.lat.toFixed(5)}, ${unit.lon.toFixed(5)}`);
    this.tick();
  }

  /** Altitude, battery and attributes of the unit's last fix, from REST. */
  setDetails(unitId: string, details: FixDetails | null): void {
    if (this.unit?.id === unitId) {
      this.details = details;
      this.renderDetails();
    }
  }

  setFollowing(unitId: string | null): void {
    const following = unitId !== null && unitId === this.unit?.id;
    setText(this.followButton, following ? 'Following' : 'Follow');
    this.followButton.setAttribute('aria-pressed', String(following));
  }

  hide(): void {
    if (!this.element.hidden) {
      this.element.hidden = true;
      document.removeEventListener('keydown', this.closeOnEscape);
      window.clearInterval(this.ticker);
    }
  }

  private renderDetails(): void {
    const details = this.details;
    setText(this.altitude, altitudeText(details?.alt));
    setText(this.battery, batteryText(details?.battery));
    const entries = Object.entries(details?.attributes ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .slice(0, MAX_ATTRIBUTES);
    this.attributes.replaceChildren(
      ...entries.flatMap(([key, value]) => [
        el('dt', { text: key.length > MAX_ATTRIBUTE_CHARS ? `${key.slice(0, MAX_ATTRIBUTE_CHARS - 1)}…` : key }),
        el('dd', { text: attributeText(value) }),
      ]),
    );
    this.attributes.hidden = entries.length === 0;
  }

  private tick(): void {
    if (this.unit !== null) {
      setText(this.fixAge, ageText(this.unit.time, Date.now()));
    }
  }
}
