import { ApiError } from '../api';
import { el } from '../dom';
import type { ShapeKind } from '../map/fenceshapes';
import {
  CONTACT_KINDS,
  SEVERITIES,
  UNIT_TYPES,
  WEEKDAYS,
  type Geofence,
  type GeofenceFields,
  type GeofenceProperties,
  type Severity,
  type Target,
  type UnitType,
  type Weekday,
} from '../types';

/** What the form gives to save: the fence's properties, and a circle's radius or a corridor's half-width. */
export interface FenceValues {
  properties: GeofenceFields;
  sizeMeters: number | undefined;
}

export interface FenceFormOptions {
  save(values: FenceValues): Promise<void>;
  remove(): Promise<void>;
  close(): void;
  /** The operator typed another radius: the circle on the map follows. */
  resized(meters: number): void;
}

const KIND_TITLE: Record<ShapeKind | 'multipolygon', string> = {
  polygon: 'Polygon fence',
  circle: 'Circle fence',
  corridor: 'Corridor fence',
  multipolygon: 'Multi-part fence',
};
const KIND_HINT: Record<ShapeKind | 'multipolygon', string> = {
  polygon: 'Drag a corner to move it, a mid-point to add one.',
  circle: 'Drag the circle to move it; type its radius below.',
  corridor: 'Drag a point of the line to move it, a mid-point to add one.',
  multipolygon: 'Its outline cannot be edited here; its settings can.',
};
const DEFAULT_CORRIDOR_METERS = 200;
/** Fields the server names (API.md errors) that have no input of their own are shown with the nearest one. */
const FIELD_ALIASES: Record<string, string> = {
  'rules.enter': 'rules',
  'rules.exit': 'rules',
  radiusMeters: 'size',
  bufferMeters: 'size',
  'schedule.tz': 'schedule',
  'schedule.days': 'schedule',
  'schedule.from': 'schedule',
  'schedule.to': 'schedule',
};

/** A labelled group of checkboxes; none ticked means "all" where the API says absent = all. */
class Checks<T extends string> {
  readonly element: HTMLElement;
  private readonly boxes = new Map<T, HTMLInputElement>();

  constructor(testid: string, values: readonly T[], label: (value: T) => string = (value) => value) {
    this.element = el('div', { class: 'fence-checks', testid });
    for (const value of values) {
      const box = el('input', { attrs: { type: 'checkbox', value } });
      box.dataset['testid'] = `${testid}-${value}`;
      this.boxes.set(value, box);
      this.element.append(el('label', { class: 'fence-check' }, box, document.createTextNode(label(value))));
    }
  }

  set(values: readonly string[] | undefined): void {
    for (const [value, box] of this.boxes) {
      box.checked = values?.includes(value) ?? false;
    }
  }

  values(): T[] {
    return [...this.boxes].filter(([, box]) => box.checked).map(([value]) => value);
  }

  onChange(handler: () => void): void {
    this.element.addEventListener('change', handler);
  }
}

function field(label: string, name: string, input: HTMLElement, hint?: string): HTMLElement {
  return el(
    'div',
    { class: 'fence-field', attrs: { 'data-field': name } },
    el('span', { class: 'fence-label', text: label }),
    input,
    ...(hint === undefined ? [] : [el('span', { class: 'fence-hint', text: hint })]),
    el('span', { class: 'fence-error', testid: `fence-error-${name}`, attrs: { role: 'alert' } }),
  );
}

function numberInput(testid: string, min: string, step = '1'): HTMLInputElement {
  return el('input', { testid, attrs: { type: 'number', min, step, inputmode: 'numeric' } });
}

function optionalNumber(input: HTMLInputElement): number | undefined {
  return input.value.trim() === '' ? undefined : Number(input.value);
}

/**
 * The geofence form beside the map: name, severity, rules, the circle's radius or the corridor's width, margin,
 * schedule, what it watches; Save, Delete (after a confirmation) and Cancel. A field the server refuses shows the
 * server's reason under it.
 */
export class FenceForm {
  readonly element: HTMLElement;
  private readonly title: HTMLElement;
  private readonly hint: HTMLElement;
  private readonly name = el('input', { testid: 'fence-name', attrs: { type: 'text', maxlength: '200', autocomplete: 'off' } });
  private readonly severity = el('select', { testid: 'fence-severity' });
  private readonly enter = el('input', { testid: 'fence-enter', attrs: { type: 'checkbox' } });
  private readonly exit = el('input', { testid: 'fence-exit', attrs: { type: 'checkbox' } });
  private readonly dwell = numberInput('fence-dwell', '1');
  private readonly size = numberInput('fence-size', '1');
  private readonly sizeField: HTMLElement;
  private readonly margin = numberInput('fence-margin', '0');
  private readonly scheduled = el('input', { testid: 'fence-scheduled', attrs: { type: 'checkbox' } });
  private readonly days = new Checks<Weekday>('fence-days', WEEKDAYS, (day) => day[0]!.toUpperCase() + day.slice(1));
  // Text, not type=time: the browser's locale would show a 12-hour clock; the floor works in 24-hour time.
  private readonly from = el('input', { testid: 'fence-from', attrs: { type: 'text', placeholder: 'HH:mm', size: '5', maxlength: '5' } });
  private readonly to = el('input', { testid: 'fence-to', attrs: { type: 'text', placeholder: 'HH:mm', size: '5', maxlength: '5' } });
  private readonly tz = el('input', { testid: 'fence-tz', attrs: { type: 'text', placeholder: 'UTC', spellcheck: 'false' } });
  private readonly scheduleBox: HTMLElement;
  private readonly targets = new Checks<Target>('fence-targets', ['units', 'contacts'], (t) => (t === 'units' ? 'Units' : 'Contacts'));
  private readonly unitTypes = new Checks<UnitType>('fence-unit-types', UNIT_TYPES);
  private readonly unitTypesField: HTMLElement;
  private readonly contactKinds = new Checks<string>('fence-contact-kinds', CONTACT_KINDS);
  private readonly ceiling = numberInput('fence-ceiling', '0');
  private readonly contactFields: HTMLElement;
  private readonly general = el('p', { class: 'fence-error fence-general', testid: 'fence-error', attrs: { role: 'alert' } });
  private readonly saveButton = el('button', { class: 'fence-save', text: 'Save', testid: 'fence-save', attrs: { type: 'submit' } });
  private readonly deleteButton = el('button', { class: 'fence-delete', text: 'Delete…', testid: 'fence-delete', attrs: { type: 'button' } });
  private readonly confirm: HTMLElement;
  private readonly confirmText = el('p', { class: 'fence-confirm-text', testid: 'fence-confirm-text' });
  private kind: ShapeKind | 'multipolygon' = 'polygon';

  constructor(private readonly options: FenceFormOptions) {
    for (const level of SEVERITIES) {
      this.severity.append(el('option', { text: level, attrs: { value: level } }));
    }
    this.title = el('h2', { class: 'fence-title', testid: 'fence-title', attrs: { id: 'fence-title' } });
    this.hint = el('p', { class: 'fence-kind-hint', testid: 'fence-kind-hint' });
    this.sizeField = field('Radius (m)', 'size', this.size);
    this.size.addEventListener('input', () => {
      const meters = Number(this.size.value);
      if (this.kind === 'circle' && meters > 0) {
        this.options.resized(meters);
      }
    });
    this.scheduleBox = el(
      'div',
      { class: 'fence-schedule', testid: 'fence-schedule' },
      this.days.element,
      el('div', { class: 'fence-row' }, el('span', { text: 'from' }), this.from, el('span', { text: 'to' }), this.to),
      el('div', { class: 'fence-row' }, el('span', { text: 'time zone' }), this.tz),
    );
    this.scheduled.addEventListener('change', () => this.showSchedule());
    this.unitTypesField = field('Unit types', 'unitTypes', this.unitTypes.element, 'none ticked: every type');
    this.contactFields = el(
      'div',
      {},
      field('Contact kinds', 'contactKinds', this.contactKinds.element, 'none ticked: every kind'),
      field('Ceiling (m)', 'maxAltitudeMeters', this.ceiling, 'contacts reported higher are over the zone, not in it'),
    );
    this.targets.onChange(() => this.showTargets());
    const cancel = el('button', { class: 'fence-cancel', text: 'Cancel', testid: 'fence-cancel', attrs: { type: 'button' } });
    cancel.addEventListener('click', () => this.options.close());
    const close = el('button', { class: 'unit-card-close', text: '×', testid: 'fence-close', attrs: { type: 'button', 'aria-label': 'Close' } });
    close.addEventListener('click', () => this.options.close());
    this.deleteButton.addEventListener('click', () => {
      this.confirm.hidden = false;
      this.deleteButton.hidden = true;
    });
    const yes = el('button', { class: 'fence-delete', text: 'Delete fence', testid: 'fence-delete-confirm', attrs: { type: 'button' } });
    const no = el('button', { class: 'fence-cancel', text: 'Keep', testid: 'fence-delete-keep', attrs: { type: 'button' } });
    yes.addEventListener('click', () => this.busy(this.options.remove()));
    no.addEventListener('click', () => {
      this.confirm.hidden = true;
      this.deleteButton.hidden = false;
    });
    this.confirm = el('div', { class: 'fence-confirm', testid: 'fence-confirm', attrs: { hidden: '' } }, this.confirmText, el('div', { class: 'fence-actions' }, yes, no));

    const form = el(
      'form',
      { class: 'fence-form', attrs: { novalidate: '' } },
      el('div', { class: 'fence-head' }, this.title, close),
      this.hint,
      this.general,
      field('Name', 'name', this.name),
      el('div', { class: 'fence-pair' }, field('Severity', 'severity', this.severity), field('Dwell (min)', 'rules.dwellSeconds', this.dwell, 'empty: no dwell alert')),
      field(
        'Alert on',
        'rules',
        el(
          'div',
          { class: 'fence-checks' },
          el('label', { class: 'fence-check' }, this.enter, document.createTextNode('Enter')),
          el('label', { class: 'fence-check' }, this.exit, document.createTextNode('Exit')),
        ),
      ),
      el('div', { class: 'fence-pair' }, this.sizeField, field('Margin (m)', 'marginMeters', this.margin, 'GPS jitter band')),
      field('Schedule', 'schedule', el('div', {}, el('label', { class: 'fence-check' }, this.scheduled, document.createTextNode('Only at set times')), this.scheduleBox)),
      field('Watches', 'targets', this.targets.element),
      this.unitTypesField,
      this.contactFields,
      this.confirm,
      el('div', { class: 'fence-actions fence-main-actions' }, this.saveButton, cancel, this.deleteButton),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.busy(this.options.save(this.values()));
    });
    this.element = el('section', { class: 'fence-card', testid: 'fence-form', attrs: { 'aria-labelledby': 'fence-title', hidden: '' } }, form);
  }

  /** Opens the form for a new shape (no fence) or a stored fence; `sizeMeters` is a circle's radius. */
  open(kind: ShapeKind | 'multipolygon', fence: Geofence | null, sizeMeters?: number): void {
    this.kind = kind;
    const props: Partial<GeofenceProperties> = fence?.properties ?? {};
    this.title.textContent = fence === null ? `New ${KIND_TITLE[kind].toLowerCase()}` : KIND_TITLE[kind];
    this.hint.textContent = KIND_HINT[kind];
    this.name.value = props.name ?? '';
    this.severity.value = props.severity ?? 'warning';
    this.enter.checked = props.rules?.enter ?? true;
    this.exit.checked = props.rules?.exit ?? true;
    this.dwell.value = props.rules?.dwellSeconds === undefined ? '' : String(Math.round(props.rules.dwellSeconds / 6) / 10);
    this.sizeField.hidden = kind !== 'circle' && kind !== 'corridor';
    this.sizeField.querySelector('.fence-label')!.textContent = kind === 'corridor' ? 'Width each side (m)' : 'Radius (m)';
    const size = kind === 'corridor' ? (props.bufferMeters ?? DEFAULT_CORRIDOR_METERS) : (sizeMeters ?? props.radiusMeters);
    this.size.value = size === undefined ? '' : String(Math.round(size));
    this.margin.value = props.marginMeters === undefined ? '' : String(props.marginMeters);
    this.scheduled.checked = props.schedule !== undefined;
    this.days.set(props.schedule?.days);
    this.from.value = props.schedule?.from ?? '';
    this.to.value = props.schedule?.to ?? '';
    this.tz.value = props.schedule?.tz ?? '';
    this.targets.set(props.targets ?? ['units']);
    this.unitTypes.set(props.unitTypes);
    this.contactKinds.set(props.contactKinds);
    this.ceiling.value = props.maxAltitudeMeters === undefined ? '' : String(props.maxAltitudeMeters);
    this.deleteButton.hidden = fence === null;
    this.confirm.hidden = true;
    this.confirmText.textContent = `Delete “${props.name ?? ''}”? Alerts stop at once, on every map.`;
    this.clearErrors();
    this.showSchedule();
    this.showTargets();
    this.element.hidden = false;
    if (fence === null) {
      this.name.focus();
    }
  }

  /** The circle was resized on the map. */
  setSize(meters: number): void {
    this.size.value = String(Math.round(meters));
  }

  /** A message at the top of the form, e.g. that someone else changed the fence. */
  notice(message: string): void {
    this.general.textContent = message;
  }

  hide(): void {
    this.element.hidden = true;
  }

  get shown(): boolean {
    return !this.element.hidden;
  }

  private values(): FenceValues {
    const dwellMinutes = optionalNumber(this.dwell);
    const targets = this.targets.values();
    const properties: GeofenceFields = {
      name: this.name.value.trim(),
      severity: this.severity.value as Severity,
      rules: {
        enter: this.enter.checked,
        exit: this.exit.checked,
        ...(dwellMinutes === undefined ? {} : { dwellSeconds: Math.round(dwellMinutes * 60) }),
      },
      marginMeters: optionalNumber(this.margin),
      schedule: this.scheduled.checked
        ? {
            from: this.from.value,
            to: this.to.value,
            ...(this.tz.value.trim() === '' ? {} : { tz: this.tz.value.trim() }),
            ...(this.days.values().length === 0 ? {} : { days: this.days.values() }),
          }
        : undefined,
      // None ticked is sent as [] so the server names the field, not silently watches units.
      targets,
      unitTypes: targets.includes('units') && this.unitTypes.values().length > 0 ? this.unitTypes.values() : undefined,
      contactKinds: targets.includes('contacts') && this.contactKinds.values().length > 0 ? this.contactKinds.values() : undefined,
      maxAltitudeMeters: targets.includes('contacts') ? optionalNumber(this.ceiling) : undefined,
    };
    return { properties, sizeMeters: optionalNumber(this.size) };
  }

  private busy(work: Promise<void>): void {
    this.clearErrors();
    this.saveButton.disabled = true;
    work
      .catch((error: unknown) => this.showError(error))
      .finally(() => {
        this.saveButton.disabled = false;
      });
  }

  private showError(error: unknown): void {
    if (error instanceof ApiError && error.field !== null) {
      const name = FIELD_ALIASES[error.field] ?? error.field;
      const slot = this.element.querySelector<HTMLElement>(`.fence-field[data-field="${CSS.escape(name)}"] .fence-error`);
      if (slot !== null && !slot.closest<HTMLElement>('[hidden]')) {
        slot.textContent = error.detail ?? error.message;
        slot.closest('.fence-field')?.classList.add('invalid');
        slot.closest('.fence-field')?.scrollIntoView({ block: 'nearest' });
        return;
      }
    }
    if (error instanceof ApiError && error.status === 403) {
      this.general.textContent = 'Not allowed: this fence belongs to another agency, or your role cannot change fences.';
    } else if (error instanceof ApiError && error.status === 404) {
      this.general.textContent = 'This fence no longer exists.';
    } else {
      this.general.textContent = error instanceof ApiError ? (error.detail ?? error.message) : String(error instanceof Error ? error.message : error);
    }
  }

  private clearErrors(): void {
    this.general.textContent = '';
    this.element.querySelectorAll('.fence-field .fence-error').forEach((slot) => {
      slot.textContent = '';
    });
    this.element.querySelectorAll('.fence-field.invalid').forEach((item) => item.classList.remove('invalid'));
  }

  private showSchedule(): void {
    this.scheduleBox.hidden = !this.scheduled.checked;
  }

  private showTargets(): void {
    const targets = this.targets.values();
    this.unitTypesField.hidden = !targets.includes('units');
    this.contactFields.hidden = !targets.includes('contacts');
  }
}
