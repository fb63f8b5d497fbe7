import type { Alarm } from '../alarm';
import { el, utcTime } from '../dom';
import { formatDistance, formatEta } from '../geo';
import { ALERT_TYPES, SEVERITIES, type AckMessage, type Alert, type Detection } from '../types';
import { setText } from './unitcard';

/** Alerts kept in the list; older ones drop off the end (the server keeps them all). */
const MAX_ALERTS = 1000;
/** Acks sent at once by a bulk ack: enough to clear a hundred in a second or two, few enough to spare the server. */
const ACK_CONCURRENCY = 4;
/** A fix this much older than its detection is shown with its own time too. */
const LATE_FIX_MS = 60_000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ALL = '';
const RENDER_DELAY_MS = 50;
/** Kinds named per incident: enough for "person, vehicle, animal"; a noisy sensor's hundredth kind adds nothing. */
const MAX_KINDS = 4;

type AckedFilter = '' | 'open' | 'acked';

export interface AlertPanelOptions {
  /** Operators and admins may acknowledge; viewers only read. */
  canAck: boolean;
  /** Opens the unit's (or contact's) card and flies to the alert. */
  select(alert: Alert): void;
  /** Acknowledges on the server; resolves to the acked alert. */
  ack(alert: Alert, comment?: string): Promise<Alert>;
  /** Operators and admins may send a unit to a detection; viewers see who was sent. */
  canAssign: boolean;
  /** Sends the unit to the alert on the server; resolves to the updated alert. */
  assign(alert: Alert, unitId: string): Promise<Alert>;
  /** Every alert held, after each change (the map draws the units on their way). */
  changed?(alerts: Iterable<Alert>): void;
  alarm: Alarm;
}

function newestFirst(a: Alert, b: Alert): number {
  return Date.parse(b.detectedAt) - Date.parse(a.detectedAt) || b.id.localeCompare(a.id);
}

/** HH:MM:SSZ today (UTC, the floor's clock); with the day and month on any other day. */
export function alertTime(iso: string, now: Date = new Date()): string {
  const time = new Date(iso);
  const sameDay = time.toISOString().slice(0, 10) === now.toISOString().slice(0, 10);
  const clock = `${utcTime(time)}Z`;
  if (sameDay) {
    return clock;
  }
  const year = time.getUTCFullYear() === now.getUTCFullYear() ? '' : ` ${time.getUTCFullYear()}`;
  return `${time.getUTCDate()} ${MONTHS[time.getUTCMonth()] ?? ''}${year} ${clock}`;
}

/**
 * Alerts shown as one row: a grouped silence alert (many units at once) stands alone; repeated alerts of one unit,
 * type and fence share a row, newest first.
 */
function groupKey(alert: Alert): string {
  if (alert.units !== undefined && alert.units.length > 1) {
    return `group:${alert.id}`;
  }
  if (alert.type === 'detection') {
    return `incident:${alert.id}`; // an incident already gathers its detections, and each needs its own patrol
  }
  return `${alert.unitId}|${alert.type}|${alert.geofenceId ?? ''}`;
}

interface Group {
  key: string;
  /** Newest first; never empty. */
  alerts: Alert[];
}

function newest(group: Group): Alert {
  return group.alerts[0] as Alert;
}

function open(group: Group): Alert[] {
  return group.alerts.filter((alert) => alert.ackedBy === undefined);
}

/** The right-hand alert list: REST history merged with the live stream, newest first, filtered and grouped. */
export class AlertPanel {
  readonly element: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly unacked: HTMLElement;
  private readonly typeFilter: HTMLSelectElement;
  private readonly severityFilter: HTMLSelectElement;
  private readonly ackedFilter: HTMLSelectElement;
  private readonly muteButton: HTMLButtonElement;
  private readonly bulk: HTMLElement;
  private readonly selectAll: HTMLInputElement;
  private readonly bulkComment: HTMLInputElement;
  private readonly bulkButton: HTMLButtonElement;
  private readonly empty: HTMLElement;
  private readonly alerts = new Map<string, Alert>();
  private readonly rows = new Map<string, AlertRow>();
  private groups: Group[] = [];
  /** Groups ticked for a bulk ack. */
  private readonly checked = new Set<string>();
  private readonly expanded = new Set<string>();
  /** What each incident's detections saw (person, vehicle…), from the stream's detection frames. */
  private readonly kinds = new Map<string, string[]>();
  private selected: string | null = null;
  /** Critical alerts that sounded a cue: the title flashes until they are all acknowledged. */
  private readonly cued = new Set<string>();
  /** Alerts detected before the panel opened are history: they never sound. */
  private readonly openedAt = Date.now();
  /** True once the server said there may be more open alerts than the list holds. */
  private moreOpen = false;
  private renderTimer: number | undefined;

  constructor(private readonly options: AlertPanelOptions) {
    this.list = el('ol', { class: 'alert-list', testid: 'alert-list', attrs: { 'aria-live': 'polite' } });
    this.unacked = el('span', { class: 'alert-count', testid: 'alert-unacked' });
    this.typeFilter = this.filter('alert-filter-type', 'Alert type', [
      [ALL, 'All types'],
      ...ALERT_TYPES.map((type): [string, string] => [type, type]),
    ]);
    this.severityFilter = this.filter('alert-filter-severity', 'Severity', [
      [ALL, 'All severities'],
      ...SEVERITIES.map((severity): [string, string] => [severity, severity]),
    ]);
    this.ackedFilter = this.filter('alert-filter-acked', 'Acknowledged', [
      [ALL, 'Open and acked'],
      ['open', 'Open only'],
      ['acked', 'Acked only'],
    ]);
    this.muteButton = el('button', { class: 'alert-mute', testid: 'alert-mute', attrs: { type: 'button' } });
    this.muteButton.addEventListener('click', () => options.alarm.setMuted(!options.alarm.isMuted));
    options.alarm.onMute(() => this.renderMute());
    this.selectAll = el('input', {
      testid: 'alert-select-all',
      attrs: { type: 'checkbox', 'aria-label': 'Select every open alert shown' },
    });
    this.selectAll.addEventListener('change', () => {
      this.checked.clear();
      if (this.selectAll.checked) {
        this.groups.filter((group) => open(group).length > 0).forEach((group) => this.checked.add(group.key));
      }
      this.render();
    });
    this.bulkComment = el('input', {
      class: 'ack-comment',
      testid: 'alert-bulk-comment',
      attrs: { type: 'text', maxlength: '1000', placeholder: 'Comment for all selected (optional)' },
    });
    this.bulkButton = el('button', { class: 'ack-button', testid: 'alert-bulk-ack', attrs: { type: 'button' } });
    this.bulkButton.addEventListener('click', () => void this.bulkAck());
    this.bulk = el(
      'div',
      { class: 'alert-bulk', testid: 'alert-bulk' },
      el('label', { class: 'alert-select-all' }, this.selectAll, document.createTextNode('All')),
      this.bulkComment,
      this.bulkButton,
    );
    this.bulk.hidden = !options.canAck;
    this.empty = el('p', { class: 'alert-empty', testid: 'alert-empty' });
    this.element = el(
      'aside',
      { class: 'alerts', attrs: { 'aria-label': 'Alerts' } },
      el('h2', { class: 'alerts-title panel-title' }, document.createTextNode('Alerts'), this.unacked, this.muteButton),
      el('div', { class: 'alert-filters' }, this.typeFilter, this.severityFilter, this.ackedFilter),
      this.bulk,
      this.list,
      this.empty,
    );
    this.renderMute();
    this.render();
  }

  /** Merges a REST page; the server's copy wins because it carries the acknowledgement. */
  merge(alerts: readonly Alert[], moreOpen?: boolean): void {
    if (moreOpen !== undefined) {
      this.moreOpen = moreOpen;
    }
    let sound = false;
    for (const alert of alerts) {
      const known = this.alerts.has(alert.id);
      this.alerts.set(alert.id, alert);
      if (!known && this.fresh(alert)) {
        this.cued.add(alert.id);
        sound = true;
      }
    }
    this.trim();
    if (sound) {
      this.options.alarm.cue();
    }
    this.scheduleRender();
  }

  /** A storm of alerts redraws the list once per burst, not once per alert. */
  private scheduleRender(): void {
    this.renderTimer ??= window.setTimeout(() => {
      this.renderTimer = undefined;
      this.render();
    }, RENDER_DELAY_MS);
  }

  /** An alert from the live stream. */
  add(alert: Alert): void {
    this.merge([alert]);
  }

  /** Another operator's (or our own) acknowledgement, from the live stream: shown without a reload. */
  acked(ack: AckMessage): void {
    const alert = this.alerts.get(ack.alertId);
    if (alert === undefined || alert.ackedBy !== undefined) {
      return;
    }
    const comment = ack.comment ?? undefined;
    this.merge([{ ...alert, ackedBy: ack.ackedBy, ackedAt: ack.ackedAt, ...(comment === undefined ? {} : { comment }) }]);
  }

  /** A detection from the stream: its kind is named on its incident's row. */
  detected(detection: Detection): void {
    if (detection.alertId === null) {
      return;
    }
    const kinds = this.kinds.get(detection.alertId) ?? [];
    if (!kinds.includes(detection.kind) && kinds.length < MAX_KINDS) {
      this.kinds.set(detection.alertId, [...kinds, detection.kind]);
      if (this.kinds.size > MAX_ALERTS) {
        this.kinds.delete(this.kinds.keys().next().value as string); // an incident this list never held
      }
      this.scheduleRender();
    }
  }

  /** Marks the alert the operator picked (null: none). */
  setSelected(alertId: string | null): void {
    if (this.selected !== alertId) {
      this.selected = alertId;
      this.scheduleRender();
    }
  }

  /** A critical, open alert detected since the panel opened: it sounds. */
  private fresh(alert: Alert): boolean {
    return alert.severity === 'critical' && alert.ackedBy === undefined && Date.parse(alert.detectedAt) >= this.openedAt - 5_000;
  }

  private trim(): void {
    if (this.alerts.size <= MAX_ALERTS) {
      return;
    }
    // Open alerts stay longest: an old unacknowledged alert still needs handling.
    const sorted = [...this.alerts.values()].sort(
      (a, b) => Number(a.ackedBy === undefined) - Number(b.ackedBy === undefined) || newestFirst(b, a),
    );
    for (const alert of sorted.slice(0, this.alerts.size - MAX_ALERTS)) {
      this.alerts.delete(alert.id);
      this.kinds.delete(alert.id);
    }
  }

  private filter(testid: string, label: string, options: [string, string][]): HTMLSelectElement {
    const select = el('select', { class: 'alert-filter', testid, attrs: { 'aria-label': label } });
    select.append(...options.map(([value, text]) => el('option', { text, attrs: { value } })));
    select.addEventListener('change', () => {
      this.checked.clear();
      this.render();
    });
    return select;
  }

  private renderMute(): void {
    const muted = this.options.alarm.isMuted;
    this.muteButton.textContent = muted ? 'Sound off' : 'Sound on';
    this.muteButton.setAttribute('aria-pressed', String(muted));
    this.muteButton.title = muted ? 'Critical alerts flash the title but make no sound' : 'Critical alerts beep';
    this.element.dataset['muted'] = String(muted);
  }

  private shown(alert: Alert): boolean {
    const type = this.typeFilter.value;
    const severity = this.severityFilter.value;
    const acked = this.ackedFilter.value as AckedFilter;
    return (
      (type === ALL || alert.type === type) &&
      (severity === ALL || alert.severity === severity) &&
      (acked === ALL || (acked === 'open') === (alert.ackedBy === undefined))
    );
  }

  private render(): void {
    window.clearTimeout(this.renderTimer);
    this.renderTimer = undefined;
    const byKey = new Map<string, Group>();
    for (const alert of [...this.alerts.values()].sort(newestFirst)) {
      if (!this.shown(alert)) {
        continue;
      }
      const key = groupKey(alert);
      const group = byKey.get(key);
      if (group === undefined) {
        byKey.set(key, { key, alerts: [alert] });
      } else {
        group.alerts.push(alert);
      }
    }
    this.groups = [...byKey.values()];
    // Rows are updated in place and only new ones inserted, so a comment being typed keeps its text and focus.
    let cursor: ChildNode | null = this.list.firstChild;
    for (const group of this.groups) {
      let row = this.rows.get(group.key);
      if (row === undefined) {
        row = new AlertRow(group.key, this.options.canAck, this.options.canAssign, {
          select: (alert) => this.options.select(alert),
          assign: async (alert, unitId) => {
            const assigned = await this.options.assign(alert, unitId);
            this.merge([assigned]);
          },
          ack: (alerts, comment) => this.ackAll(alerts, comment),
          check: (key, checked) => {
            if (checked) {
              this.checked.add(key);
            } else {
              this.checked.delete(key);
            }
            this.renderBulk();
          },
          expand: (key) => {
            if (!this.expanded.delete(key)) {
              this.expanded.add(key);
            }
            this.render();
          },
        });
        this.rows.set(group.key, row);
      }
      if (!open(group).length) {
        this.checked.delete(group.key);
      }
      const first = newest(group);
      row.update(group, this.checked.has(group.key), this.expanded.has(group.key), {
        kinds: this.kinds.get(first.id) ?? [],
        selected: group.alerts.some((alert) => alert.id === this.selected),
      });
      if (row.element === cursor) {
        cursor = cursor.nextSibling;
      } else {
        this.list.insertBefore(row.element, cursor);
      }
    }
    for (const [key, row] of this.rows) {
      if (!byKey.has(key)) {
        row.element.remove();
        this.rows.delete(key);
        this.checked.delete(key);
      }
    }
    const all = [...this.alerts.values()];
    const openCount = all.filter((alert) => alert.ackedBy === undefined).length;
    this.unacked.textContent = openCount === 0 ? 'none open' : `${openCount}${this.moreOpen ? '+' : ''} open`;
    this.unacked.dataset['count'] = String(openCount);
    const cuedOpen = [...this.cued].filter((id) => this.alerts.get(id)?.ackedBy === undefined && this.alerts.has(id));
    this.cued.forEach((id) => {
      if (!cuedOpen.includes(id)) {
        this.cued.delete(id);
      }
    });
    this.options.alarm.setOpen(openCount, cuedOpen.length);
    this.empty.textContent = this.alerts.size === 0 ? 'No alerts' : this.groups.length === 0 ? 'No alert matches' : '';
    this.empty.hidden = this.groups.length > 0;
    this.renderBulk();
    this.options.changed?.(this.alerts.values());
  }

  private renderBulk(): void {
    const selected = this.selectedAlerts();
    this.bulkButton.textContent = `Ack selected (${selected.length})`;
    this.bulkButton.disabled = selected.length === 0;
    const openGroups = this.groups.filter((group) => open(group).length > 0).length;
    this.selectAll.checked = openGroups > 0 && this.checked.size === openGroups;
    this.selectAll.indeterminate = this.checked.size > 0 && this.checked.size < openGroups;
  }

  private selectedAlerts(): Alert[] {
    return this.groups.filter((group) => this.checked.has(group.key)).flatMap(open);
  }

  private async bulkAck(): Promise<void> {
    const alerts = this.selectedAlerts();
    if (alerts.length === 0) {
      return;
    }
    this.bulkButton.disabled = true;
    this.bulkButton.textContent = `Acking ${alerts.length}…`;
    const failed = await this.ackAll(alerts, this.bulkComment.value);
    if (failed === 0) {
      this.bulkComment.value = '';
      this.checked.clear();
      this.render();
    } else {
      this.renderBulk();
      this.bulkButton.textContent = `Retry ${failed} failed`;
    }
  }

  /** Acknowledges each alert with the comment, a few at a time; resolves to how many failed. */
  private async ackAll(alerts: readonly Alert[], comment: string): Promise<number> {
    const queue = [...alerts];
    let failed = 0;
    const worker = async () => {
      for (let alert = queue.shift(); alert !== undefined; alert = queue.shift()) {
        try {
          const acked = await this.options.ack(alert, comment);
          this.merge([acked]);
        } catch {
          failed += 1;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(ACK_CONCURRENCY, queue.length) }, worker));
    return failed;
  }
}

interface RowActions {
  select(alert: Alert): void;
  /** Rejects when the server refused. */
  assign(alert: Alert, unitId: string): Promise<void>;
  /** Resolves to how many acks failed. */
  ack(alerts: readonly Alert[], comment: string): Promise<number>;
  check(key: string, checked: boolean): void;
  expand(key: string): void;
}

/** One row of the list: an alert, or a group of repeats, with its ack controls. */
class AlertRow {
  readonly element: HTMLLIElement;
  private group: Group | null = null;
  private readonly type: HTMLElement;
  private readonly severity: HTMLElement;
  private readonly repeats: HTMLButtonElement;
  private readonly time: HTMLTimeElement;
  private readonly unit: HTMLElement;
  private readonly where: HTMLElement;
  private readonly fix: HTMLElement;
  private readonly ackedInfo: HTMLElement;
  private readonly controls: HTMLElement;
  private readonly check: HTMLInputElement;
  private readonly comment: HTMLInputElement;
  private readonly button: HTMLButtonElement;
  private readonly members: HTMLOListElement;
  private readonly dispatch: HTMLElement;
  /** What the dispatch part shows, so it is rebuilt only when that changes (a focused button keeps its focus). */
  private dispatchShown = '';

  constructor(
    private readonly key: string,
    private readonly canAck: boolean,
    private readonly canAssign: boolean,
    private readonly actions: RowActions,
  ) {
    this.type = el('span', { class: 'alert-type' });
    this.severity = el('span', { class: 'alert-severity' });
    this.repeats = el('button', {
      class: 'alert-repeats',
      testid: 'alert-repeats',
      attrs: { type: 'button', title: 'Show each alert of this row' },
    });
    this.time = el('time', { class: 'alert-time', testid: 'alert-time' });
    this.unit = el('span', { class: 'alert-unit', testid: 'alert-unit' });
    this.where = el('span', { class: 'alert-fence' });
    this.fix = el('div', { class: 'alert-fix' });
    this.ackedInfo = el('div', { class: 'alert-ack', testid: 'alert-acked' });
    this.check = el('input', {
      class: 'alert-check',
      testid: 'alert-check',
      attrs: { type: 'checkbox', 'aria-label': 'Select for a bulk ack' },
    });
    this.comment = el('input', {
      class: 'ack-comment',
      testid: 'alert-ack-comment',
      attrs: { type: 'text', maxlength: '1000', placeholder: 'Comment (optional)' },
    });
    this.button = el('button', { class: 'ack-button', text: 'Ack', testid: 'alert-ack', attrs: { type: 'button' } });
    this.controls = el('div', { class: 'alert-controls' }, this.check, this.comment, this.button);
    this.controls.hidden = !canAck;
    this.members = el('ol', { class: 'alert-members', testid: 'alert-members' });
    this.dispatch = el('div', { class: 'alert-dispatch', testid: 'alert-dispatch' });
    this.dispatch.hidden = true;
    this.element = el(
      'li',
      { class: 'alert', testid: 'alert-item', attrs: { tabindex: '0', role: 'button' } },
      el('div', { class: 'alert-head' }, this.type, this.severity, this.repeats, this.time),
      el('div', { class: 'alert-body' }, this.unit, this.where),
      this.fix,
      this.dispatch,
      this.ackedInfo,
      this.controls,
      this.members,
    );
    for (const control of [this.check, this.comment, this.repeats, this.button, this.members]) {
      control.addEventListener('click', (event) => event.stopPropagation());
      control.addEventListener('keydown', (event) => event.stopPropagation());
    }
    this.check.addEventListener('change', () => actions.check(this.key, this.check.checked));
    this.repeats.addEventListener('click', () => actions.expand(this.key));
    this.button.addEventListener('click', () => {
      const group = this.group;
      if (group === null) {
        return;
      }
      this.button.disabled = true;
      this.button.textContent = 'Acking…';
      void actions.ack(open(group), this.comment.value).then((failed) => {
        this.button.disabled = false;
        this.button.textContent = failed === 0 ? 'Ack' : 'Retry ack';
        if (failed === 0) {
          this.comment.value = '';
        }
      });
    });
    const select = () => {
      if (this.group !== null) {
        actions.select(newest(this.group));
      }
    };
    this.element.addEventListener('click', select);
    this.element.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        select();
      }
    });
  }

  update(group: Group, checked: boolean, expanded: boolean, shown: { kinds: string[]; selected: boolean }): void {
    const { kinds, selected } = shown;
    this.group = group;
    const alert = newest(group);
    const pending = open(group);
    const acked = pending.length === 0;
    const state = `${acked ? ' alert-acked' : ''}${selected ? ' alert-selected' : ''}`;
    this.element.className = `alert alert-${alert.severity}${state}`;
    this.element.setAttribute('aria-current', String(selected));
    this.element.dataset['alertId'] = alert.id;
    this.element.dataset['severity'] = alert.severity;
    this.element.dataset['count'] = String(group.alerts.length);
    setText(this.type, alert.type.toUpperCase());
    setText(this.severity, alert.severity);
    this.repeats.hidden = group.alerts.length < 2;
    setText(this.repeats, `×${group.alerts.length}`);
    this.repeats.setAttribute('aria-expanded', String(expanded));
    setText(this.time, alertTime(alert.detectedAt));
    this.time.dateTime = alert.detectedAt;
    this.time.title = `Detected ${alert.detectedAt}`;
    const units = alert.units ?? [];
    if (units.length > 1) {
      setText(this.unit, `${units.length} units`);
      setText(this.where, `silent together: ${units.slice(0, 6).join(', ')}${units.length > 6 ? ', …' : ''}`);
    } else {
      setText(this.unit, alert.unitId);
      setText(this.where, alert.geofenceName ?? this.reason(alert, kinds));
    }
    // A contact's alert (an aircraft, a vessel: not one of ours) is marked as such; a click opens its contact card.
    this.unit.classList.toggle('alert-contact', alert.contactId !== undefined);
    if (alert.contactId === undefined) {
      delete this.element.dataset['contactId'];
    } else {
      this.element.dataset['contactId'] = alert.contactId;
    }
    this.renderDispatch(alert);
    const late = Date.parse(alert.detectedAt) - Date.parse(alert.time) > LATE_FIX_MS;
    setText(this.fix, late ? `fix at ${alertTime(alert.time)}` : '');
    this.fix.hidden = !late;
    this.renderAcked(group, pending.length);
    this.controls.hidden = !this.canAck || acked;
    this.check.checked = checked;
    setText(this.button, this.button.disabled ? this.button.textContent : pending.length > 1 ? `Ack ${pending.length}` : 'Ack');
    this.members.hidden = !expanded || group.alerts.length < 2;
    if (!this.members.hidden) {
      this.members.replaceChildren(
        ...group.alerts.map((member) =>
          el(
            'li',
            { class: member.ackedBy === undefined ? 'alert-member' : 'alert-member alert-member-acked' },
            el('time', { text: alertTime(member.detectedAt), attrs: { datetime: member.detectedAt } }),
            el('span', {
              text: member.ackedBy === undefined ? 'open' : `✓ ${member.ackedBy}${member.comment === undefined ? '' : `: ${member.comment}`}`,
            }),
          ),
        ),
      );
    }
  }

  private reason(alert: Alert, kinds: string[]): string {
    switch (alert.type) {
      case 'detection': {
        const count = alert.detections ?? 1;
        return `${count} detection${count === 1 ? '' : 's'}${kinds.length > 0 ? `: ${kinds.join(', ')}` : ''}`;
      }
      case 'stale':
        return 'no reports';
      case 'lost':
        return 'no reports, lost';
      case 'escalated':
        return 'left unacknowledged';
      default:
        return '';
    }
  }

  /**
   * A detection's dispatch: who was sent (and when they arrived), and while it is open its nearest patrols with
   * distance and ETA, each with an Assign button for operators.
   */
  private renderDispatch(alert: Alert): void {
    const closed = alert.ackedBy !== undefined || alert.arrivedAt !== undefined;
    const nearest = closed ? [] : (alert.nearest ?? []);
    const shown = JSON.stringify([alert.id, alert.assignedUnitId, alert.assignedBy, alert.arrivedAt, nearest]);
    if (shown === this.dispatchShown) {
      return;
    }
    this.dispatchShown = shown;
    const parts: HTMLElement[] = [];
    if (alert.assignedUnitId !== undefined && alert.arrivedAt !== undefined) {
      parts.push(
        el('div', {
          class: 'alert-arrived',
          testid: 'alert-arrived',
          text: `✓ ${alert.assignedUnitId} arrived at ${alertTime(alert.arrivedAt)}`,
        }),
      );
    } else if (alert.assignedUnitId !== undefined) {
      const by = alert.assignedBy === undefined ? '' : ` by ${alert.assignedBy}`;
      const at = alert.assignedAt === undefined ? '' : ` at ${alertTime(alert.assignedAt)}`;
      parts.push(
        el('div', {
          class: 'alert-assigned',
          testid: 'alert-assigned',
          text: `➜ ${alert.assignedUnitId} sent${by}${at}${closed ? '' : ', on its way'}`,
        }),
      );
    }
    if (nearest.length > 0) {
      const list = el('ol', { class: 'alert-nearest', attrs: { 'aria-label': 'Nearest patrols' } });
      nearest.forEach((near, i) => {
        const item = el(
          'li',
          { class: i === 0 ? 'alert-near alert-near-first' : 'alert-near', testid: 'alert-nearest' },
          el('span', { class: 'alert-near-unit', text: near.unitId }),
          el('span', { class: 'alert-near-distance', text: formatDistance(near.distanceMeters) }),
          el('span', { class: 'alert-near-eta', text: formatEta(near.etaSeconds) }),
        );
        item.dataset['unitId'] = near.unitId;
        if (this.canAssign && near.unitId !== alert.assignedUnitId) {
          item.append(this.assignButton(alert, near.unitId));
        } else if (near.unitId === alert.assignedUnitId) {
          item.append(el('span', { class: 'alert-near-sent', text: 'sent' }));
        }
        list.append(item);
      });
      parts.push(list);
    }
    this.dispatch.replaceChildren(...parts);
    this.dispatch.hidden = parts.length === 0;
  }

  private assignButton(alert: Alert, unitId: string): HTMLButtonElement {
    const button = el('button', {
      class: 'assign-button',
      testid: 'alert-assign',
      text: 'Assign',
      attrs: { type: 'button', title: `Send ${unitId} to this ${alert.type}` },
    });
    button.dataset['unitId'] = unitId;
    // The rest of the dispatch part picks the alert like the row does; the button only assigns.
    button.addEventListener('keydown', (event) => event.stopPropagation());
    button.addEventListener('click', (event) => {
      event.stopPropagation();
      button.disabled = true;
      button.textContent = 'Sending…';
      this.actions.assign(alert, unitId).catch(() => {
        button.disabled = false;
        button.textContent = 'Retry';
      });
    });
    return button;
  }

  private renderAcked(group: Group, pending: number): void {
    const last = group.alerts.find((alert) => alert.ackedBy !== undefined);
    if (last !== undefined && last.arrivedAt !== undefined && last.ackedBy === last.assignedUnitId) {
      this.ackedInfo.replaceChildren(); // closed by the arrival, which the dispatch line says
      this.ackedInfo.hidden = true;
      return;
    }
    if (last === undefined) {
      this.ackedInfo.replaceChildren();
      this.ackedInfo.hidden = true;
      return;
    }
    this.ackedInfo.hidden = false;
    const when = last.ackedAt === undefined ? '' : ` at ${alertTime(last.ackedAt)}`;
    const partly = pending > 0 ? ` (${group.alerts.length - pending} of ${group.alerts.length})` : '';
    const parts: HTMLElement[] = [el('div', { text: `✓ Acknowledged by ${last.ackedBy ?? ''}${when}${partly}` })];
    if (last.comment !== undefined) {
      parts.push(el('div', { class: 'alert-comment', testid: 'alert-comment', text: last.comment }));
    }
    this.ackedInfo.replaceChildren(...parts);
  }
}
