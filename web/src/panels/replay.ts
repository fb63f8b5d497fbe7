import type { ExportFormat, ExportScope } from '../api';
import { el, utcTime } from '../dom';
import { ReplayData, type ReplayedUnit, type ReplayFix } from '../replay';
import type { Alert } from '../types';
import { alertTime } from './alerts';
import { setText } from './unitcard';

const SPEEDS = [1, 5, 10, 30, 60] as const;
const RANGES = [
  ['hour', 'Last hour', 60 * 60 * 1000],
  ['6h', 'Last 6 h', 6 * 60 * 60 * 1000],
  ['custom', 'Custom (UTC)', 0],
] as const;
type Range = (typeof RANGES)[number][0];
/** A replay holds at most this many fixes in the browser; a longer window is cut (and says so). */
const MAX_FIXES = 200_000;
/** The tracks export names at most this many units (API.md §11). */
const MAX_UNITS = 100;
const MAX_ALERT_MARKS = 1000;
const EXPORTS: ExportFormat[] = ['gpx', 'kml', 'csv'];

export type ReplayScope = 'units' | 'view';

export interface ReplayOptions {
  /** The current map view as `[w, s, e, n]`. */
  viewBox(): number[];
  load(from: Date, to: Date, bbox: number[] | null, take: (fix: unknown) => boolean): Promise<boolean>;
  alerts(from: Date, to: Date): Promise<Alert[]>;
  export(scope: ExportScope, from: Date, to: Date, format: ExportFormat): Promise<{ name: string; blob: Blob }>;
  /** Brings the replayed units' whole tracks into view. */
  fit(bounds: [number, number, number, number]): void;
  /** Draws the units where the replay has them now. */
  show(units: ReplayedUnit[]): void;
  close(): void;
  failed(error: unknown): void;
}

/** `YYYY-MM-DDTHH:MM` in UTC, what a datetime-local input shows (the floor's clock is UTC). */
function inputTime(time: number): string {
  return new Date(time).toISOString().slice(0, 16);
}

function isFix(value: unknown): value is ReplayFix {
  const fix = value as Partial<ReplayFix> | null;
  return typeof fix?.unitId === 'string' && typeof fix.time === 'string' && typeof fix.lat === 'number'
    && typeof fix.lon === 'number';
}

/**
 * History replay: which units (picked in the unit list) or the map's area, which time window; then play, pause,
 * scrub and speed up the stored fixes, with the window's alerts marked on the timeline, and export what is shown.
 * The flag over the map says REPLAY and the replayed time, so nobody takes it for the live picture.
 */
export class ReplayPanel {
  readonly element: HTMLElement;
  readonly flag: HTMLElement;
  private readonly chosen = new Set<string>();
  private readonly chips: HTMLElement;
  private readonly scopeInputs = new Map<ReplayScope, HTMLInputElement>();
  private readonly range: HTMLSelectElement;
  private readonly fromInput: HTMLInputElement;
  private readonly toInput: HTMLInputElement;
  private readonly loadButton: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly transport: HTMLElement;
  private readonly playButton: HTMLButtonElement;
  private readonly speedSelect: HTMLSelectElement;
  private readonly scrubber: HTMLInputElement;
  private readonly marks: HTMLElement;
  private readonly clock: HTMLElement;
  private data: ReplayData | null = null;
  private window: { from: Date; to: Date; scope: ExportScope } | null = null;
  private time = 0;
  private playing = false;
  private frame: number | null = null;
  private lastFrame = 0;
  private loading: AbortController | null = null;

  constructor(private readonly options: ReplayOptions) {
    this.flag = el('div', { class: 'replay-flag', testid: 'replay-flag', attrs: { role: 'status' } });
    this.chips = el('span', { class: 'replay-chips', testid: 'replay-units' });
    const scopes = el('span', { class: 'replay-scopes', attrs: { role: 'radiogroup', 'aria-label': 'Replay what' } });
    for (const [scope, label] of [['units', 'Units'], ['view', 'Map area']] as const) {
      const input = el('input', {
        testid: `replay-scope-${scope}`,
        attrs: { type: 'radio', name: 'replay-scope', value: scope },
      });
      input.checked = scope === 'units';
      input.addEventListener('change', () => this.renderSetup());
      this.scopeInputs.set(scope, input);
      scopes.append(el('label', { class: 'replay-scope' }, input, document.createTextNode(` ${label}`)));
    }
    this.range = el('select', { class: 'unit-filter', testid: 'replay-range', attrs: { 'aria-label': 'Time range' } });
    RANGES.forEach(([value, label]) => this.range.append(el('option', { text: label, attrs: { value } })));
    this.range.addEventListener('change', () => this.renderSetup());
    const timeInput = (testid: string, label: string) =>
      el('input', { class: 'replay-time-input', testid, attrs: { type: 'datetime-local', 'aria-label': label } });
    this.fromInput = timeInput('replay-from', 'From (UTC)');
    this.toInput = timeInput('replay-to', 'To (UTC)');
    this.loadButton = el('button', {
      class: 'replay-button replay-load',
      text: 'Load',
      testid: 'replay-load',
      attrs: { type: 'button' },
    });
    this.loadButton.addEventListener('click', () => void this.load());
    this.status = el('span', { class: 'replay-status', testid: 'replay-status' });
    const exit = el('button', {
      class: 'replay-button',
      text: 'Back to live',
      testid: 'replay-exit',
      attrs: { type: 'button', title: 'Leave the replay and show the live picture' },
    });
    exit.addEventListener('click', () => this.options.close());

    this.playButton = el('button', { class: 'replay-button replay-play', testid: 'replay-play', attrs: { type: 'button' } });
    this.playButton.addEventListener('click', () => (this.playing ? this.pause() : this.play()));
    this.speedSelect = el('select', { class: 'unit-filter', testid: 'replay-speed', attrs: { 'aria-label': 'Replay speed' } });
    SPEEDS.forEach((speed) => this.speedSelect.append(el('option', { text: `${speed}×`, attrs: { value: String(speed) } })));
    this.speedSelect.addEventListener('change', () => this.renderFlag());
    this.scrubber = el('input', {
      class: 'replay-scrubber',
      testid: 'replay-scrubber',
      attrs: { type: 'range', min: '0', max: '0', step: '1', 'aria-label': 'Replay time' },
    });
    this.scrubber.addEventListener('input', () => this.seek(this.startTime() + Number(this.scrubber.value) * 1000));
    this.marks = el('div', { class: 'replay-marks', testid: 'replay-marks' });
    this.clock = el('span', { class: 'replay-clock', testid: 'replay-time' });
    const exports = el('span', { class: 'replay-exports' });
    for (const format of EXPORTS) {
      const button = el('button', {
        class: 'replay-button',
        text: format.toUpperCase(),
        testid: `replay-export-${format}`,
        attrs: { type: 'button', title: `Download what is shown as ${format.toUpperCase()}` },
      });
      button.addEventListener('click', () => void this.download(format, button));
      exports.append(button);
    }
    this.transport = el(
      'div',
      { class: 'replay-row replay-transport' },
      this.playButton,
      this.speedSelect,
      el('div', { class: 'replay-timeline' }, this.marks, this.scrubber),
      this.clock,
      exports,
    );
    this.element = el(
      'section',
      { class: 'replay', testid: 'replay-panel', attrs: { 'aria-label': 'History replay', hidden: '' } },
      el(
        'div',
        { class: 'replay-row' },
        scopes,
        this.chips,
        this.range,
        this.fromInput,
        this.toInput,
        this.loadButton,
        this.status,
        exit,
      ),
      this.transport,
    );
    this.flag.hidden = true;
  }

  get open(): boolean {
    return !this.element.hidden;
  }

  /** Shows the panel, with `unitId` (the unit whose card was open) already chosen. */
  show(unitId: string | null): void {
    this.element.hidden = false;
    this.flag.hidden = false;
    if (unitId !== null && this.chosen.size === 0) {
      this.chosen.add(unitId);
    }
    const now = Date.now();
    this.toInput.value = inputTime(now);
    this.fromInput.value = inputTime(now - 60 * 60 * 1000);
    this.renderSetup();
    this.renderTransport();
  }

  hide(): void {
    this.pause();
    this.loading?.abort();
    this.element.hidden = true;
    this.flag.hidden = true;
    this.data = null;
    this.window = null;
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
    this.renderSetup();
  }

  /** For the browser tests: what the replay holds and shows. */
  state(): { fixes: number; playing: boolean; time: number | null; speed: number; units: ReplayedUnit[] } {
    const data = this.data;
    return {
      fixes: data?.size ?? 0,
      playing: this.playing,
      time: data === null ? null : this.time,
      speed: this.speed(),
      units: data === null ? [] : data.at(this.time).map((unit) => ({ ...unit, trail: [] })),
    };
  }

  private scope(): ReplayScope {
    return this.scopeInputs.get('view')?.checked === true ? 'view' : 'units';
  }

  private speed(): number {
    return Number(this.speedSelect.value) || 1;
  }

  private startTime(): number {
    return this.window?.from.getTime() ?? 0;
  }

  private renderSetup(): void {
    const custom = (this.range.value as Range) === 'custom';
    this.fromInput.hidden = !custom;
    this.toInput.hidden = !custom;
    const units = this.scope() === 'units';
    this.chips.hidden = !units;
    this.chips.replaceChildren(
      ...[...this.chosen].sort().map((id) => {
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
    this.loadButton.disabled = units && this.chosen.size === 0;
    this.renderFlag();
  }

  private chosenWindow(): { from: Date; to: Date } | null {
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

  private async load(): Promise<void> {
    const window = this.chosenWindow();
    if (window === null) {
      setText(this.status, 'From must be before To');
      return;
    }
    this.pause();
    this.loading?.abort();
    const loading = new AbortController();
    this.loading = loading;
    const bbox = this.scope() === 'view' ? this.options.viewBox() : null;
    const units = new Set(this.chosen);
    const scope: ExportScope = bbox === null ? { unitIds: [...units].sort() } : { bbox };
    const data = new ReplayData();
    const keep = bbox === null ? (id: string) => units.has(id) : () => true;
    setText(this.status, 'Loading…');
    this.loadButton.disabled = true;
    try {
      const complete = await this.options.load(window.from, window.to, bbox, (fix) => {
        if (loading.signal.aborted) {
          return false;
        }
        if (isFix(fix)) {
          data.add(fix, keep);
        }
        return data.size < MAX_FIXES;
      });
      if (loading.signal.aborted) {
        return;
      }
      this.data = data;
      this.window = { ...window, scope };
      this.time = Number.isFinite(data.first) ? data.first : window.from.getTime();
      const count = data.units().length;
      setText(
        this.status,
        `${data.size.toLocaleString('en-US')} fixes, ${count} unit${count === 1 ? '' : 's'}` +
          (complete ? '' : ' (cut: window too long)'),
      );
      this.renderTransport();
      const bounds = data.bounds();
      if (bbox === null && bounds !== null) {
        this.options.fit(bounds);
      }
      this.seek(this.time);
      this.markAlerts(window, scope);
    } catch (error) {
      setText(this.status, 'Loading failed');
      this.options.failed(error);
    } finally {
      this.loadButton.disabled = false;
    }
  }

  private markAlerts(window: { from: Date; to: Date }, scope: ExportScope): void {
    const data = this.data;
    this.marks.replaceChildren();
    this.options
      .alerts(window.from, window.to)
      .then((alerts) => {
        if (this.data !== data) {
          return;
        }
        const from = window.from.getTime();
        const span = window.to.getTime() - from;
        const shown = alerts
          .filter((alert) => {
            const time = Date.parse(alert.time);
            if (time < from || time > from + span) {
              return false;
            }
            if ('unitIds' in scope) {
              return [alert.unitId, ...(alert.units ?? [])].some((id) => scope.unitIds.includes(id));
            }
            const [w = 0, s = 0, e = 0, n = 0] = scope.bbox;
            return alert.lon >= w && alert.lon <= e && alert.lat >= s && alert.lat <= n;
          })
          .slice(0, MAX_ALERT_MARKS);
        this.marks.replaceChildren(
          ...shown.map((alert) => {
            const mark = el('button', {
              class: `replay-mark replay-mark-${alert.severity}`,
              testid: 'replay-alert-mark',
              attrs: {
                type: 'button',
                title: [alert.type.toUpperCase(), alert.unitId, alert.geofenceName, alertTime(alert.time)]
                  .filter((part) => part !== undefined)
                  .join(' · '),
                'data-alert-id': alert.id,
              },
            });
            mark.style.left = `${((Date.parse(alert.time) - from) / span) * 100}%`;
            mark.addEventListener('click', () => this.seek(Date.parse(alert.time)));
            return mark;
          }),
        );
      })
      .catch((error: unknown) => this.options.failed(error));
  }

  private play(): void {
    if (this.data === null || this.window === null) {
      return;
    }
    if (this.time >= this.window.to.getTime()) {
      this.time = this.startTime();
    }
    this.playing = true;
    this.lastFrame = performance.now();
    this.frame = requestAnimationFrame((now) => this.step(now));
    this.renderTransport();
  }

  private pause(): void {
    this.playing = false;
    if (this.frame !== null) {
      cancelAnimationFrame(this.frame);
      this.frame = null;
    }
    this.renderTransport();
  }

  private step(now: number): void {
    const end = this.window?.to.getTime() ?? 0;
    this.seek(Math.min(end, this.time + (now - this.lastFrame) * this.speed()));
    this.lastFrame = now;
    if (this.time >= end) {
      this.pause();
      return;
    }
    this.frame = requestAnimationFrame((next) => this.step(next));
  }

  private seek(time: number): void {
    if (this.data === null) {
      return;
    }
    this.time = time;
    const offset = Math.round((time - this.startTime()) / 1000);
    if (this.scrubber.value !== String(offset)) {
      this.scrubber.value = String(offset);
    }
    this.options.show(this.data.at(time));
    this.renderFlag();
  }

  private renderTransport(): void {
    const loaded = this.window !== null;
    this.transport.hidden = !loaded;
    if (this.window !== null) {
      this.scrubber.max = String(Math.round((this.window.to.getTime() - this.startTime()) / 1000));
    }
    setText(this.playButton, this.playing ? '❚❚ Pause' : '▶ Play');
    this.playButton.setAttribute('aria-pressed', String(this.playing));
  }

  private renderFlag(): void {
    const loaded = this.data !== null;
    const flag = loaded
      ? `REPLAY ${utcTime(new Date(this.time))}Z · ${this.speed()}×`
      : 'REPLAY · pick units or the map area, and a time range';
    setText(this.flag, flag);
    setText(this.clock, loaded ? `${alertTime(new Date(this.time).toISOString())}` : '');
  }

  private async download(format: ExportFormat, button: HTMLButtonElement): Promise<void> {
    if (this.window === null) {
      return;
    }
    button.disabled = true;
    try {
      const { name, blob } = await this.options.export(this.window.scope, this.window.from, this.window.to, format);
      const url = URL.createObjectURL(blob);
      const link = el('a', { attrs: { href: url, download: name } });
      document.body.append(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      this.options.failed(error);
    } finally {
      button.disabled = false;
    }
  }
}
