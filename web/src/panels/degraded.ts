import { el, utcTime } from '../dom';

/**
 * The strip under the status bar that tells the floor the server has lost its database (a `health` frame on
 * /ws/live): the map still shows the last known picture, but nothing new is being saved until it is back.
 */
export class DegradedBanner {
  readonly element: HTMLElement;
  private readonly since: HTMLElement;

  constructor() {
    this.since = el('span', { class: 'degraded-since', testid: 'degraded-since' });
    this.element = el(
      'div',
      { class: 'degraded', testid: 'degraded-banner', attrs: { role: 'alert' } },
      el('strong', { class: 'degraded-title', text: 'Degraded — database unreachable' }),
      this.since,
      el('span', {
        class: 'degraded-detail',
        text: 'Last known positions shown. New positions, alerts and changes are not saved; devices keep retrying.',
      }),
    );
    this.element.hidden = true;
  }

  /** Shows the banner; `since` is when the server lost the database (ISO-8601). */
  show(since: string): void {
    this.since.textContent = `since ${utcTime(since)} UTC`;
    this.element.hidden = false;
  }

  hide(): void {
    this.element.hidden = true;
  }
}
