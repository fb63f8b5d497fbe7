import { el } from '../dom';
import type { Alert } from '../types';
import { alertTime } from './alerts';
import { setText } from './unitcard';

/**
 * A replay's timeline: a slider over the window (one step a second), the window's alerts as marks above it in their
 * severity colours (a click jumps to one), and the replayed time beside it.
 */
export class Timeline {
  readonly element: HTMLElement;
  readonly clock: HTMLElement;
  private readonly slider: HTMLInputElement;
  private readonly marks: HTMLElement;
  private from = 0;
  private to = 0;

  /** `seek` hears of every move of the slider and click on a mark, with the time it points at. */
  constructor(private readonly seek: (time: number) => void) {
    this.slider = el('input', {
      class: 'replay-scrubber',
      testid: 'replay-scrubber',
      attrs: { type: 'range', min: '0', max: '0', step: '1', 'aria-label': 'Replay time' },
    });
    this.slider.addEventListener('input', () => this.seek(this.from + Number(this.slider.value) * 1000));
    this.marks = el('div', { class: 'replay-marks', testid: 'replay-marks' });
    this.clock = el('span', { class: 'replay-clock', testid: 'replay-time' });
    this.element = el('div', { class: 'replay-timeline' }, this.marks, this.slider);
  }

  /** A new window: the slider spans it, and the marks of the last one go. */
  setWindow(from: number, to: number): void {
    this.from = from;
    this.to = to;
    this.slider.max = String(Math.round((to - from) / 1000));
    this.marks.replaceChildren();
  }

  /** Moves the slider and the clock to `time` (playing, or a jump). */
  show(time: number | null): void {
    if (time === null) {
      setText(this.clock, '');
      return;
    }
    const offset = String(Math.round((time - this.from) / 1000));
    if (this.slider.value !== offset) {
      this.slider.value = offset;
    }
    setText(this.clock, alertTime(new Date(time).toISOString()));
  }

  setAlerts(alerts: readonly Alert[]): void {
    const span = Math.max(1, this.to - this.from);
    this.marks.replaceChildren(
      ...alerts.map((alert) => {
        const time = Date.parse(alert.time);
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
        mark.style.left = `${((time - this.from) / span) * 100}%`;
        mark.addEventListener('click', () => this.seek(time));
        return mark;
      }),
    );
  }
}
