import { el, utcTime } from '../dom';
import type { Unit } from '../types';

const KMH_PER_MS = 3.6;
const KNOTS_PER_MS = 3600 / 1852;

export interface UnitCardOptions {
  /** The track the map draws for the shown unit, named on the card's legend. */
  trackMinutes: number;
  close(): void;
}

function speedText(speed: number | null): string {
  return speed === null ? '—' : `${Math.round(speed * KMH_PER_MS)} km/h · ${Math.round(speed * KNOTS_PER_MS)} kn`;
}

function headingText(heading: number | null): string {
  return heading === null ? '—' : `${String(Math.round(heading) % 360).padStart(3, '0')}°`;
}

/** Seconds up to two minutes, then minutes, then hours: a watch officer reads "3 h", not "10800 s". */
function ageText(time: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(time)) / 1000));
  if (seconds < 120) {
    return `${seconds} s ago`;
  }
  const minutes = Math.floor(seconds / 60);
  return minutes < 120 ? `${minutes} min ago` : `${Math.floor(minutes / 60)} h ago`;
}

/** Writes only on change, so a card updated every frame does not churn the DOM. */
function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) {
    element.textContent = text;
  }
}

/** The card over the map with one unit's details, kept current from the live stream until it is closed. */
export class UnitCard {
  readonly element: HTMLElement;
  private unit: Unit | null = null;
  private readonly callsign: HTMLElement;
  private readonly name: HTMLElement;
  private readonly type: HTMLElement;
  private readonly status: HTMLElement;
  private readonly speed: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly fixTime: HTMLTimeElement;
  private readonly fixAge: HTMLElement;
  private readonly position: HTMLElement;
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
    this.status = el('dd', { class: 'unit-card-status', testid: 'unit-card-status' });
    this.speed = el('dd', { testid: 'unit-card-speed' });
    this.heading = el('dd', { testid: 'unit-card-heading' });
    this.fixTime = el('time', { testid: 'unit-card-time' });
    this.fixAge = el('span', { class: 'unit-card-age', testid: 'unit-card-age' });
    this.position = el('dd', { testid: 'unit-card-position' });
    const close = el('button', {
      class: 'unit-card-close',
      text: '✕',
      testid: 'unit-card-close',
      attrs: { type: 'button', 'aria-label': 'Close unit card', title: 'Close (Esc)' },
    });
    close.addEventListener('click', () => this.options.close());
    const row = (label: string, value: HTMLElement) => [el('dt', { text: label }), value];
    this.element = el(
      'section',
      { class: 'unit-card', testid: 'unit-card', attrs: { 'aria-labelledby': 'unit-card-id', hidden: '' } },
      el('header', { class: 'unit-card-head' }, el('div', {}, this.callsign, this.name), close),
      el(
        'dl',
        { class: 'unit-card-fields' },
        ...row('Type', this.type),
        ...row('Status', this.status),
        ...row('Speed', this.speed),
        ...row('Heading', this.heading),
        ...row('Last fix', el('dd', {}, this.fixTime, this.fixAge)),
        ...row('Lat, lon', this.position),
      ),
      el('p', { class: 'unit-card-legend', text: `Track, last ${options.trackMinutes} min` }),
    );
  }

  /** Opens the card on `unit`; its name comes later, when known. */
  show(unit: Unit): void {
    this.unit = unit;
    setText(this.name, '');
    this.update(unit);
    if (this.element.hidden) {
      this.element.hidden = false;
      document.addEventListener('keydown', this.closeOnEscape);
      this.ticker = window.setInterval(() => this.tick(), 1000);
    }
  }

  /** The unit's latest state; ignored unless it is the unit shown. */
  update(unit: Unit): void {
    if (this.unit?.id !== unit.id) {
      return;
    }
    this.unit = unit;
    this.element.dataset['status'] = unit.status;
    this.element.dataset['unitId'] = unit.id;
    setText(this.callsign, unit.id);
    setText(this.type, unit.type);
    setText(this.status, unit.status);
    setText(this.speed, speedText(unit.speed));
    setText(this.heading, headingText(unit.heading));
    setText(this.fixTime, `${utcTime(unit.time)}Z`);
    this.fixTime.dateTime = unit.time;
    setText(this.position, `${unit.lat.toFixed(5)}, ${unit.lon.toFixed(5)}`);
    this.tick();
  }

  /** The unit's name from the registry; not repeated when it is only the callsign again. */
  setName(unitId: string, name: string | null): void {
    if (this.unit?.id === unitId) {
      setText(this.name, name === null || name === unitId ? '' : name);
    }
  }

  hide(): void {
    if (!this.element.hidden) {
      this.element.hidden = true;
      document.removeEventListener('keydown', this.closeOnEscape);
      window.clearInterval(this.ticker);
    }
  }

  private tick(): void {
    if (this.unit !== null) {
      setText(this.fixAge, ageText(this.unit.time, Date.now()));
    }
  }
}
