import { el, utcTime } from '../dom';
import type { AckMessage, Alert } from '../types';

const MAX_ALERTS = 200;

export interface AlertPanelOptions {
  /** Operators and admins may acknowledge; viewers only read. */
  canAck: boolean;
  select(alert: Alert): void;
  /** Acknowledges on the server; resolves to the acked alert. */
  ack(alert: Alert, comment?: string): Promise<Alert>;
}

function newestFirst(a: Alert, b: Alert): number {
  return Date.parse(b.detectedAt) - Date.parse(a.detectedAt) || b.id.localeCompare(a.id);
}

/** The right-hand alert list: REST history merged with the live stream, newest first. */
export class AlertPanel {
  readonly element: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly unacked: HTMLElement;
  private alerts: Alert[] = [];
  private readonly items = new Map<string, HTMLLIElement>();

  constructor(private readonly options: AlertPanelOptions) {
    this.list = el('ol', { class: 'alert-list', testid: 'alert-list', attrs: { 'aria-live': 'polite' } });
    this.unacked = el('span', { class: 'alert-count', testid: 'alert-unacked' });
    this.element = el(
      'aside',
      { class: 'alerts', attrs: { 'aria-label': 'Alerts' } },
      el('h2', { class: 'alerts-title' }, document.createTextNode('Alerts'), this.unacked),
      this.list,
    );
    this.render();
  }

  /** Merges a REST page; the server's copy wins because it carries the acknowledgement. */
  merge(alerts: readonly Alert[]): void {
    const byId = new Map(this.alerts.map((alert) => [alert.id, alert]));
    for (const alert of alerts) {
      byId.set(alert.id, alert);
      this.items.delete(alert.id);
    }
    this.alerts = [...byId.values()].sort(newestFirst);
    this.render();
  }

  add(alert: Alert): void {
    this.merge([alert]);
  }

  /** Another operator's (or our own) acknowledgement, from the live stream: shown without a reload. */
  acked(ack: AckMessage): void {
    const alert = this.alerts.find((candidate) => candidate.id === ack.alertId);
    if (alert === undefined || alert.ackedBy !== undefined) {
      return;
    }
    const comment = ack.comment ?? undefined;
    this.merge([{ ...alert, ackedBy: ack.ackedBy, ackedAt: ack.ackedAt, ...(comment === undefined ? {} : { comment }) }]);
  }

  private render(): void {
    this.alerts = this.alerts.slice(0, MAX_ALERTS);
    const shown = new Set(this.alerts.map((alert) => alert.id));
    for (const id of this.items.keys()) {
      if (!shown.has(id)) {
        this.items.delete(id);
      }
    }
    this.list.replaceChildren(...this.alerts.map((alert) => this.item(alert)));
    const open = this.alerts.filter((alert) => alert.ackedBy === undefined).length;
    this.unacked.textContent = open === 0 ? '' : `${open} open`;
    if (this.alerts.length === 0) {
      this.list.append(el('li', { class: 'alert-empty', text: 'No alerts' }));
    }
  }

  private item(alert: Alert): HTMLLIElement {
    const cached = this.items.get(alert.id);
    if (cached !== undefined) {
      return cached;
    }
    const acked = alert.ackedBy !== undefined;
    const item = el(
      'li',
      {
        class: `alert alert-${alert.severity}${acked ? ' alert-acked' : ''}`,
        testid: 'alert-item',
        attrs: { tabindex: '0', role: 'button', 'data-alert-id': alert.id },
      },
      el(
        'div',
        { class: 'alert-head' },
        el('span', { class: 'alert-type', text: alert.type.toUpperCase() }),
        el('span', { class: 'alert-severity', text: alert.severity }),
        el('time', { class: 'alert-time', text: `${utcTime(alert.time)}Z`, attrs: { datetime: alert.time } }),
      ),
      el(
        'div',
        { class: 'alert-body' },
        el('span', { class: 'alert-unit', text: alert.unitId }),
        el('span', { class: 'alert-fence', text: alert.geofenceName ?? (alert.type === 'stale' ? 'no reports' : '') }),
      ),
      this.footer(alert),
    );
    item.addEventListener('click', () => this.options.select(alert));
    item.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        this.options.select(alert);
      }
    });
    this.items.set(alert.id, item);
    return item;
  }

  private footer(alert: Alert): HTMLElement {
    if (alert.ackedBy !== undefined) {
      const when = alert.ackedAt === undefined ? '' : ` at ${utcTime(alert.ackedAt)}Z`;
      const footer = el('div', { class: 'alert-ack', testid: 'alert-acked' });
      footer.append(el('div', { text: `✓ Acknowledged by ${alert.ackedBy}${when}` }));
      if (alert.comment !== undefined) {
        footer.append(el('div', { class: 'alert-comment', testid: 'alert-comment', text: alert.comment }));
      }
      return footer;
    }
    if (!this.options.canAck) {
      return el('div', { class: 'alert-ack' });
    }
    const note = el('input', {
      class: 'ack-comment',
      testid: 'alert-ack-comment',
      attrs: { type: 'text', maxlength: '1000', placeholder: 'Comment (optional)' },
    });
    note.addEventListener('click', (event) => event.stopPropagation());
    const button = el('button', { class: 'ack-button', text: 'Ack', testid: 'alert-ack', attrs: { type: 'button' } });
    button.addEventListener('click', (event) => {
      event.stopPropagation();
      button.disabled = true;
      button.textContent = 'Acking…';
      this.options
        .ack(alert, note.value)
        .then((acked) => this.merge([acked]))
        .catch((error: unknown) => {
          button.disabled = false;
          button.textContent = 'Retry ack';
          button.title = error instanceof Error ? error.message : String(error);
        });
    });
    return el('div', { class: 'alert-ack' }, note, button);
  }
}
