import { el } from '../dom';
import type { Fleet } from '../fleet';
import { UNIT_STATUSES, UNIT_TYPES, type Agency, type FleetUnit } from '../types';
import { ageText, setText } from './unitcard';

/** Row height in CSS pixels; the list draws only the rows in view, so 10,000 units scroll as lightly as 10. */
const ROW_PX = 64;
const OVERSCAN_ROWS = 6;
/** The list follows the stream at most this often: a list redrawn ten times a second cannot be read or clicked. */
const REFRESH_MS = 1000;
const ALL = '';
const NO_AGENCY = '∅';

export interface UnitPanelOptions {
  fleet: Fleet;
  /** Flies to the unit and opens its card. */
  select(unitId: string): void;
  /** Starts (or, for the unit followed, stops) follow mode. */
  follow(unitId: string): void;
}

interface RowParts {
  item: HTMLLIElement;
  id: HTMLElement;
  type: HTMLElement;
  status: HTMLElement;
  details: HTMLElement;
  follow: HTMLButtonElement;
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** How well a unit matches the search: 0 exact id, 1 id prefix, 2 name or callsign prefix, 3 anywhere; -1 none. */
function rank(unit: FleetUnit, query: string): number {
  if (query === '') {
    return 0;
  }
  const id = unit.id.toLowerCase();
  if (id === query) {
    return 0;
  }
  if (id.startsWith(query)) {
    return 1;
  }
  const name = unit.name?.toLowerCase() ?? '';
  const callsign = unit.callsign?.toLowerCase() ?? '';
  if (name.startsWith(query) || callsign.startsWith(query)) {
    return 2;
  }
  return id.includes(query) || name.includes(query) || callsign.includes(query) ? 3 : -1;
}

function select(testid: string, label: string, options: [string, string][]): HTMLSelectElement {
  const element = el('select', { class: 'unit-filter', testid, attrs: { 'aria-label': label } });
  element.append(...options.map(([value, text]) => el('option', { text, attrs: { value } })));
  return element;
}

/** The left-hand list of units: search by id, name or callsign, filter by type, status and agency; click to fly. */
export class UnitPanel {
  readonly element: HTMLElement;
  private readonly search: HTMLInputElement;
  private readonly typeFilter: HTMLSelectElement;
  private readonly statusFilter: HTMLSelectElement;
  private readonly agencyFilter: HTMLSelectElement;
  private readonly count: HTMLElement;
  private readonly viewport: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rows: HTMLElement;
  private readonly empty: HTMLElement;
  private sorted: string[] = [];
  private membershipChanged = true;
  private shown: FleetUnit[] = [];
  private selected: string | null = null;
  private following: string | null = null;
  private agencyNames = new Map<string, string>();
  private refreshTimer: number | undefined;
  private lastRefresh = 0;
  private readonly ticker: number;
  private readonly resize: ResizeObserver;
  /** The ids in `sorted`, to notice a unit joining the fleet. */
  private known = new Set<string>();
  /** The rows on screen by unit id, updated in place so a row under the pointer is never swapped mid-click. */
  private readonly drawn = new Map<string, RowParts>();

  constructor(private readonly options: UnitPanelOptions) {
    this.search = el('input', {
      class: 'unit-search',
      testid: 'unit-search',
      attrs: { type: 'search', placeholder: 'Search id, name, callsign', 'aria-label': 'Search units', autocomplete: 'off' },
    });
    this.typeFilter = select('unit-filter-type', 'Type', [
      [ALL, 'All types'],
      ...UNIT_TYPES.map((type): [string, string] => [type, type]),
    ]);
    this.statusFilter = select('unit-filter-status', 'Status', [
      [ALL, 'Any status'],
      ...UNIT_STATUSES.map((status): [string, string] => [status, status]),
    ]);
    this.agencyFilter = select('unit-filter-agency', 'Agency', [[ALL, 'All agencies']]);
    this.count = el('span', { class: 'unit-list-count', testid: 'unit-list-count' });
    this.spacer = el('div', { class: 'unit-list-spacer' });
    this.rows = el('ol', { class: 'unit-rows', testid: 'unit-list', attrs: { 'aria-label': 'Units' } });
    this.empty = el('p', { class: 'unit-empty', testid: 'unit-list-empty' });
    this.viewport = el('div', { class: 'unit-list' }, this.spacer, this.rows, this.empty);
    this.element = el(
      'aside',
      { class: 'units-panel', testid: 'units-panel', attrs: { 'aria-label': 'Units' } },
      el('h2', { class: 'panel-title' }, document.createTextNode('Units'), this.count),
      el(
        'div',
        { class: 'unit-controls' },
        this.search,
        el('div', { class: 'unit-filters' }, this.typeFilter, this.statusFilter, this.agencyFilter),
      ),
      this.viewport,
    );
    this.search.addEventListener('input', () => this.refresh());
    this.search.addEventListener('keydown', (event) => {
      const first = this.shown[0];
      if (event.key === 'Enter' && first !== undefined) {
        this.options.select(first.id);
      }
    });
    for (const filter of [this.typeFilter, this.statusFilter, this.agencyFilter]) {
      filter.addEventListener('change', () => this.refresh());
    }
    this.viewport.addEventListener('scroll', () => this.draw(), { passive: true });
    this.resize = new ResizeObserver(() => this.draw());
    this.resize.observe(this.viewport);
    options.fleet.onChange(({ updated, removed }) => {
      if (removed.length > 0 || updated.some((unit) => !this.known.has(unit.id))) {
        this.membershipChanged = true;
      }
      this.schedule();
    });
    // The age column ticks even when nothing moves.
    this.ticker = window.setInterval(() => this.schedule(), REFRESH_MS);
    this.refresh();
  }

  setAgencies(agencies: readonly Agency[]): void {
    this.agencyNames = new Map(agencies.map((agency) => [agency.id, agency.name]));
    const current = this.agencyFilter.value;
    this.agencyFilter.replaceChildren(
      el('option', { text: 'All agencies', attrs: { value: ALL } }),
      ...agencies.map((agency) => el('option', { text: agency.name, attrs: { value: agency.id } })),
      el('option', { text: 'Not yet known', attrs: { value: NO_AGENCY } }),
    );
    this.agencyFilter.value = current;
    this.refresh();
  }

  setSelected(unitId: string | null): void {
    this.selected = unitId;
    this.draw();
  }

  setFollowing(unitId: string | null): void {
    this.following = unitId;
    this.draw();
  }

  dispose(): void {
    this.resize.disconnect();
    window.clearInterval(this.ticker);
    window.clearTimeout(this.refreshTimer);
  }

  private schedule(): void {
    if (this.refreshTimer !== undefined) {
      return;
    }
    const wait = Math.max(0, this.lastRefresh + REFRESH_MS - performance.now());
    this.refreshTimer = window.setTimeout(() => {
      this.refreshTimer = undefined;
      this.refresh();
    }, wait);
  }

  /** Re-applies search and filters to the fleet and redraws the rows in view. */
  private refresh(): void {
    this.lastRefresh = performance.now();
    const { fleet } = this.options;
    if (this.membershipChanged) {
      this.membershipChanged = false;
      this.sorted = [...fleet.all()].map((unit) => unit.id).sort(collator.compare);
      this.known = new Set(this.sorted);
    }
    const query = this.search.value.trim().toLowerCase();
    const type = this.typeFilter.value;
    const status = this.statusFilter.value;
    const agency = this.agencyFilter.value;
    const buckets: FleetUnit[][] = [[], [], [], []];
    for (const id of this.sorted) {
      const unit = fleet.get(id);
      if (
        unit === undefined ||
        (type !== ALL && unit.type !== type) ||
        (status !== ALL && unit.status !== status) ||
        (agency !== ALL && (unit.agency ?? NO_AGENCY) !== agency)
      ) {
        continue;
      }
      const match = rank(unit, query);
      if (match >= 0) {
        buckets[match]?.push(unit);
      }
    }
    this.shown = buckets.flat();
    const filtered = query !== '' || type !== ALL || status !== ALL || agency !== ALL;
    this.count.textContent = filtered
      ? `${this.shown.length.toLocaleString('en')} of ${fleet.size.toLocaleString('en')}`
      : fleet.size.toLocaleString('en');
    this.element.dataset['filtered'] = String(filtered);
    this.spacer.style.height = `${this.shown.length * ROW_PX}px`;
    this.draw();
  }

  /** Draws the rows in view (and a few around them) only. */
  private draw(): void {
    const first = Math.max(0, Math.floor(this.viewport.scrollTop / ROW_PX) - OVERSCAN_ROWS);
    const visible = Math.ceil(this.viewport.clientHeight / ROW_PX) + OVERSCAN_ROWS * 2;
    const now = Date.now();
    const wanted = new Set<string>();
    for (let i = first; i < Math.min(this.shown.length, first + visible); i++) {
      const unit = this.shown[i];
      if (unit === undefined) {
        continue;
      }
      wanted.add(unit.id);
      let parts = this.drawn.get(unit.id);
      if (parts === undefined) {
        parts = this.row(unit.id);
        this.drawn.set(unit.id, parts);
        this.rows.append(parts.item);
      }
      this.fill(parts, unit, i, now);
    }
    for (const [id, parts] of this.drawn) {
      if (!wanted.has(id)) {
        parts.item.remove();
        this.drawn.delete(id);
      }
    }
    const empty = this.shown.length === 0 ? (this.options.fleet.size === 0 ? 'No units yet' : 'No unit matches') : '';
    this.empty.textContent = empty;
    this.empty.hidden = empty === '';
  }

  private row(unitId: string): RowParts {
    const parts: RowParts = {
      item: el('li', {
        class: 'unit-row',
        testid: 'unit-row',
        attrs: { tabindex: '0', role: 'button', 'data-unit-id': unitId },
      }),
      id: el('span', { class: 'unit-row-id', text: unitId }),
      type: el('span', { class: 'unit-row-type' }),
      status: el('span', { class: 'unit-row-status' }),
      details: el('div', { class: 'unit-row-details' }),
      follow: el('button', {
        class: 'unit-row-follow',
        testid: 'unit-row-follow',
        attrs: { type: 'button', title: `Keep ${unitId} in the centre of the map` },
      }),
    };
    parts.follow.addEventListener('click', (event) => {
      event.stopPropagation();
      this.options.follow(unitId);
    });
    parts.item.append(
      el(
        'div',
        { class: 'unit-row-main' },
        el('div', { class: 'unit-row-line' }, parts.id, parts.type, parts.status),
        parts.details,
      ),
      parts.follow,
    );
    parts.item.addEventListener('click', () => this.options.select(unitId));
    parts.item.addEventListener('keydown', (event) => {
      if (event.target === parts.item && (event.key === 'Enter' || event.key === ' ')) {
        event.preventDefault();
        this.options.select(unitId);
      }
    });
    return parts;
  }

  private fill(parts: RowParts, unit: FleetUnit, index: number, now: number): void {
    const details = [unit.name !== unit.id ? unit.name : null, unit.callsign, this.agencyName(unit.agency)]
      .filter((part): part is string => part !== null && part !== '')
      .join(' · ');
    const following = unit.id === this.following;
    setText(parts.type, unit.type);
    setText(parts.status, unit.status === 'live' ? ageText(unit.time, now) : unit.status.toUpperCase());
    setText(parts.details, details);
    setText(parts.follow, following ? 'Following' : 'Follow');
    parts.follow.setAttribute('aria-pressed', String(following));
    parts.item.dataset['status'] = unit.status;
    parts.item.setAttribute('aria-current', String(unit.id === this.selected));
    parts.item.style.transform = `translateY(${index * ROW_PX}px)`;
  }

  private agencyName(agency: string | null): string | null {
    return agency === null ? null : (this.agencyNames.get(agency) ?? agency);
  }
}
