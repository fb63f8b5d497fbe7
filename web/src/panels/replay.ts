import type { ExportFormat, ExportScope } from '../api';
import { el, saveFile, utcTime } from '../dom';
import { ReplayData, type ReplayedUnit, type ReplayFix } from '../replay';
import type { Alert } from '../types';
import { ReplaySetup } from './replaysetup';
import { Timeline } from './timeline';
import { setText } from './unitcard';

const SPEEDS = [1, 5, 10, 30, 60] as const;
/** A replay holds at most this many fixes in the browser; a longer window is cut (and says so). */
const MAX_FIXES = 200_000;
const MAX_ALERT_MARKS = 1000;
const EXPORTS: ExportFormat[] = ['gpx', 'kml', 'csv'];

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
  private readonly setup: ReplaySetup;
  private readonly loadButton: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly transport: HTMLElement;
  private readonly playButton: HTMLButtonElement;
  private readonly speedSelect: HTMLSelectElement;
  private readonly timeline: Timeline;
  private data: ReplayData | null = null;
  private window: { from: Date; to: Date; scope: ExportScope } | null = null;
  private time = 0;
  private playing = false;
  private frame: number | null = null;
  private lastFrame = 0;
  private loading: AbortController | null = null;

  constructor(private readonly options: ReplayOptions) {
    this.flag = el('div', { class: 'replay-flag', testid: 'replay-flag', attrs: { role: 'status' } });
    this.setup = new ReplaySetup(() => {
      this.loadButton.disabled = !this.setup.ready;
      this.renderFlag();
    });
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
    this.timeline = new Timeline((time) => this.seek(time));
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
      this.timeline.element,
      this.timeline.clock,
      exports,
    );
    this.element = el(
      'section',
      { class: 'replay', testid: 'replay-panel', attrs: { 'aria-label': 'History replay', hidden: '' } },
      el(
        'div',
        { class: 'replay-row' },
        this.setup.element,
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
    this.setup.reset(unitId);
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
    this.setup.toggleUnit(unitId);
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

  private speed(): number {
    return Number(this.speedSelect.value) || 1;
  }

  private startTime(): number {
    return this.window?.from.getTime() ?? 0;
  }

  private async load(): Promise<void> {
    const window = this.setup.window();
    if (window === null) {
      setText(this.status, 'From must be before To');
      return;
    }
    this.pause();
    this.loading?.abort();
    const loading = new AbortController();
    this.loading = loading;
    const bbox = this.setup.scope === 'view' ? this.options.viewBox() : null;
    const units = new Set(this.setup.units());
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
      this.timeline.setWindow(window.from.getTime(), window.to.getTime());
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
      this.loadButton.disabled = !this.setup.ready;
    }
  }

  /** Marks the window's alerts of the replayed units (or area) on the timeline. */
  private markAlerts(window: { from: Date; to: Date }, scope: ExportScope): void {
    const data = this.data;
    const from = window.from.getTime();
    const to = window.to.getTime();
    const inScope = (alert: Alert) => {
      if ('unitIds' in scope) {
        return [alert.unitId, ...(alert.units ?? [])].some((id) => scope.unitIds.includes(id));
      }
      const [w = 0, s = 0, e = 0, n = 0] = scope.bbox;
      return alert.lon >= w && alert.lon <= e && alert.lat >= s && alert.lat <= n;
    };
    this.options
      .alerts(window.from, window.to)
      .then((alerts) => {
        if (this.data === data) {
          const shown = alerts.filter((alert) => {
            const time = Date.parse(alert.time);
            return time >= from && time <= to && inScope(alert);
          });
          this.timeline.setAlerts(shown.slice(0, MAX_ALERT_MARKS));
        }
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
    this.options.show(this.data.at(time));
    this.renderFlag();
  }

  private renderTransport(): void {
    const loaded = this.window !== null;
    this.transport.hidden = !loaded;
    setText(this.playButton, this.playing ? '❚❚ Pause' : '▶ Play');
    this.playButton.setAttribute('aria-pressed', String(this.playing));
  }

  private renderFlag(): void {
    const loaded = this.data !== null;
    const flag = loaded
      ? `REPLAY ${utcTime(new Date(this.time))}Z · ${this.speed()}×`
      : 'REPLAY · pick units or the map area, and a time range';
    setText(this.flag, flag);
    this.timeline.show(loaded ? this.time : null);
  }

  private async download(format: ExportFormat, button: HTMLButtonElement): Promise<void> {
    if (this.window === null) {
      return;
    }
    button.disabled = true;
    try {
      const { name, blob } = await this.options.export(this.window.scope, this.window.from, this.window.to, format);
      saveFile(name, blob);
    } catch (error) {
      this.options.failed(error);
    } finally {
      button.disabled = false;
    }
  }
}
