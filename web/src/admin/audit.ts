import { el } from '../dom';
import { AUDIT_ACTIONS, listAudit, type AuditEntry } from './adminapi';
import { button, choice, row, section, Table, textInput, when } from './forms';

const PAGE = 50;
/** The server returns at most this many entries, newest first; older ones are reached by narrowing the filter. */
const MAX_ENTRIES = 1000;
const CHANGE_CHARS = 160;

/** The audit log, newest first, a page at a time, filtered by who acted and what they did. */
export class AuditTab {
  readonly element: HTMLElement;
  private readonly table = new Table('audit-table', ['Time (UTC)', 'Actor', 'Agency', 'Action', 'Target', 'Address', 'Change'], 'No entries');
  private readonly actor = textInput('audit-actor', { placeholder: 'any user' });
  private readonly action = choice('audit-action', [['', 'Any action'], ...AUDIT_ACTIONS]);
  private readonly position = el('span', { class: 'admin-page', testid: 'audit-page' });
  private readonly previous = button('◀ Newer', 'audit-newer');
  private readonly next = button('Older ▶', 'audit-older');
  private entries: AuditEntry[] = [];
  private page = 0;

  constructor(private readonly signal: AbortSignal) {
    const refresh = button('Refresh', 'audit-refresh', 'primary');
    refresh.addEventListener('click', () => void this.load());
    this.action.addEventListener('change', () => void this.load());
    this.actor.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        void this.load();
      }
    });
    this.previous.addEventListener('click', () => this.show(this.page - 1));
    this.next.addEventListener('click', () => void this.older());
    this.element = el(
      'div',
      { class: 'admin-tab' },
      section(
        'Audit log',
        el('div', { class: 'admin-toolbar' }, this.actor, this.action, refresh, this.previous, this.position, this.next),
        this.table.element,
      ),
    );
  }

  /** Reads the newest page again (the log grows while it is open). */
  async load(): Promise<void> {
    this.entries = await this.fetch(PAGE + 1);
    this.show(0);
  }

  private async older(): Promise<void> {
    const wanted = (this.page + 2) * PAGE + 1;
    if (this.entries.length < wanted && this.entries.length > (this.page + 1) * PAGE) {
      // The server pages by count only: ask for everything up to the next page, newest first.
      this.entries = await this.fetch(Math.min(MAX_ENTRIES, wanted));
    }
    this.show(this.page + 1);
  }

  private fetch(limit: number): Promise<AuditEntry[]> {
    return listAudit(this.signal, { actor: this.actor.value.trim(), action: this.action.value, limit });
  }

  private show(page: number): void {
    const last = Math.max(0, Math.ceil(Math.min(this.entries.length, MAX_ENTRIES) / PAGE) - 1);
    this.page = Math.max(0, Math.min(page, last));
    const shown = this.entries.slice(this.page * PAGE, (this.page + 1) * PAGE);
    this.table.rows(shown.map(auditRow));
    const first = this.page * PAGE + 1;
    this.position.textContent = shown.length === 0 ? '' : `${first}–${first + shown.length - 1}`;
    this.previous.disabled = this.page === 0;
    const capped = (this.page + 1) * PAGE >= MAX_ENTRIES;
    this.next.disabled = this.entries.length <= (this.page + 1) * PAGE || capped;
    this.next.title = capped ? `The newest ${MAX_ENTRIES} only: filter by actor or action for older ones` : '';
  }
}

function auditRow(entry: AuditEntry): HTMLTableRowElement {
  return row(
    'audit-row',
    String(entry.id),
    when(entry.time),
    entry.actor ?? '—',
    entry.agency ?? '—',
    el('span', { class: 'admin-action', text: entry.action, attrs: { 'data-action': entry.action } }),
    target(entry.target),
    entry.address ?? '',
    el('span', { class: 'admin-change', text: change(entry) }),
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A geofence, share, webhook or alert id by its first eight characters (the whole on hover), a name as it is. */
function target(value: string | null): string | Node {
  if (value === null || !UUID.test(value)) {
    return value ?? '';
  }
  return el('code', { text: value.slice(0, 8), attrs: { title: value } });
}

/** Before → after, compact and cut short: the full record is the API's. */
function change(entry: AuditEntry): string {
  const part = (value: Record<string, unknown> | null) => (value === null ? '' : JSON.stringify(value));
  const text = entry.before === null ? part(entry.after) : `${part(entry.before)} → ${part(entry.after)}`;
  return text.length > CHANGE_CHARS ? `${text.slice(0, CHANGE_CHARS - 1)}…` : text;
}
