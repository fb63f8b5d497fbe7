import { el } from '../dom';

const RANGES = [
  ['hour', 'Last hour', 60 * 60 * 1000],
  ['6h', 'Last 6 h', 6 * 60 * 60 * 1000],
  ['custom', 'Custom (UTC)', 0],
] as const;
type Range = (typeof RANGES)[number][0];
/** The tracks export names at most this many units (API.md §11). */
const MAX_UNITS = 100;

export type ReplayScope = 'units' | 'view';

/** `YYYY-MM-DDTHH:MM` in UTC, what a datetime-local input shows (the floor's clock is UTC). */
function inputTime(time: number): string {
  return new Date(time).toISOString().slice(0, 16);
}

/**
 * What a replay shows: the units picked in the unit list (each a chip that removes it) or the map's area, and the
 * time window: the last hour, the last 6 hours, or from and to in UTC.
 */
export class ReplaySetup {
  /** Lays its controls out in the row it is put in (`display: contents`). */
  readonly element: HTMLElement;
  private readonly chosen = new Set<string>();
  private readonly chips: HTMLElement;
  private readonly scopeInputs = new Map<ReplayScope, HTMLInputElement>();
  private readonly range: HTMLSelectElement;
  private readonly fromInput: HTMLInputElement;
  private readonly toInput: HTMLInputElement;

  /** `changed` hears of every change of the units, the scope or the range. */
  constructor(private readonly changed: () => void) {
    this.chips = el('span', { class: 'replay-chips', testid: 'replay-units' });
    const scopes = el('span', { class: 'replay-scopes', attrs: { role: 'radiogroup', 'aria-label': 'Replay what' } });
    for (const [scope, label] of [['units', 'Units'], ['view', 'Map area']] as const) {
      const input = el('input', {
        testid: `replay-scope-${scope}`,
        attrs: { type: 'radio', name: 'replay-scope', value: scope },
      });
      input.checked = scope === 'units';
      input.addEventListener('change', () => this.render());
      this.scopeInputs.set(scope, input);
      scopes.append(el('label', { class: 'replay-scope' }, input, document.createTextNode(` ${label}`)));
    }
    this.range = el('select', { class: 'unit-filter', testid: 'replay-range', attrs: { 'aria-label': 'Time range' } });
    RANGES.forEach(([value, label]) => this.range.append(el('option', { text: label, attrs: { value } })));
    this.range.addEventListener('change', () => this.render());
    const timeInput = (testid: string, label: string) =>
      el('input', { class: 'replay-time-input', testid, attrs: { type: 'datetime-local', 'aria-label': label } });
    this.fromInput = timeInput('replay-from', 'From (UTC)');
    this.toInput = timeInput('replay-to', 'To (UTC)');
    this.element = el(
      'span',
      { class: 'replay-setup' },
      scopes,
      this.chips,
      this.range,
      this.fromInput,
      this.toInput,
    );
  }

  /** Ready for a new replay: `unitId` (the unit whose card was open) chosen if none is, a custom window of the last hour. */
  reset(unitId: string | null): void {
    if (unitId !== null && this.chosen.size === 0) {
      this.chosen.add(unitId);
    }
    const now = Date.now();
    this.toInput.value = inputTime(now);
    this.fromInput.value = inputTime(now - 60 * 60 * 1000);
    this.render();
  }

  /** A unit picked in the unit list joins the replay, or leaves it if already in. */
  toggleUnit(unitId: string): void {
    if (!this.chosen.delete(unitId) && this.chosen.size < MAX_UNITS) {
      this.chosen.add(unitId);
    }
    const units = this.scopeInputs.get('units');
    if (units !== undefined) {
      units.checked = true;
    }
    this.render();
  }

  get scope(): ReplayScope {
    return this.scopeInputs.get('view')?.checked === true ? 'view' : 'units';
  }

  units(): string[] {
    return [...this.chosen].sort();
  }

  /** Whether there is something to replay: the map area, or at least one unit. */
  get ready(): boolean {
    return this.scope === 'view' || this.chosen.size > 0;
  }

  /** The chosen window, or null when a custom one is incomplete or runs backwards. */
  window(): { from: Date; to: Date } | null {
    const range = this.range.value as Range;
    if (range === 'custom') {
      const from = Date.parse(`${this.fromInput.value}Z`);
      const to = Date.parse(`${this.toInput.value}Z`);
      return Number.isNaN(from) || Number.isNaN(to) || from >= to ? null : { from: new Date(from), to: new Date(to) };
    }
    const span = RANGES.find(([value]) => value === range)?.[2] ?? 0;
    const to = Date.now();
    return { from: new Date(to - span), to: new Date(to) };
  }

  private render(): void {
    const custom = (this.range.value as Range) === 'custom';
    this.fromInput.hidden = !custom;
    this.toInput.hidden = !custom;
    this.chips.hidden = this.scope !== 'units';
    this.chips.replaceChildren(
      ...this.units().map((id) => {
        const chip = el('button', {
          class: 'replay-chip',
          text: `${id} ✕`,
          attrs: { type: 'button', title: `Leave ${id} out`, 'data-unit-id': id },
        });
        chip.addEventListener('click', () => this.toggleUnit(id));
        return chip;
      }),
    );
    if (this.chosen.size === 0) {
      this.chips.append(el('span', { class: 'replay-hint', text: 'Pick units in the unit list' }));
    }
    this.changed();
  }
}
