import { ApiError } from '../api';
import { el } from '../dom';

/** What an admin reads when the server refuses: its reason, or what the status means here. */
export function reason(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 403) {
      return `Not allowed: ${error.detail ?? 'your role or agency cannot do this'}`;
    }
    if (error.status === 409) {
      return error.detail ?? 'One with this name already exists';
    }
    return error.detail ?? error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** YYYY-MM-DD HH:MM:SS UTC: administration spans days, so the date is always shown. */
export function when(iso: string | null): string {
  return iso === null ? '—' : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

export function textInput(testid: string, attrs: Record<string, string> = {}): HTMLInputElement {
  return el('input', { testid, attrs: { type: 'text', autocomplete: 'off', spellcheck: 'false', ...attrs } });
}

export function choice(testid: string, options: readonly (string | [string, string])[]): HTMLSelectElement {
  const select = el('select', { testid });
  for (const option of options) {
    const [value, label] = typeof option === 'string' ? [option, option] : option;
    select.append(el('option', { text: label, attrs: { value } }));
  }
  return select;
}

export function button(text: string, testid: string, kind = ''): HTMLButtonElement {
  return el('button', { class: `admin-button ${kind}`.trim(), text, testid, attrs: { type: 'button' } });
}

/**
 * A one-line form: labelled inputs, a submit button and, under each input, the server's reason when it names that
 * field (`field` in the 4xx body); other refusals show at the end of the line.
 */
export class InlineForm {
  readonly element: HTMLFormElement;
  private readonly errors = new Map<string, HTMLElement>();
  private readonly general: HTMLElement;
  private readonly submitButton: HTMLButtonElement;

  constructor(testid: string, fields: [label: string, name: string, control: HTMLElement][], submitText: string, submit: () => Promise<void>) {
    this.general = el('p', { class: 'admin-error', testid: `${testid}-error`, attrs: { role: 'alert' } });
    this.submitButton = el('button', { class: 'admin-button primary', text: submitText, testid: `${testid}-submit`, attrs: { type: 'submit' } });
    this.element = el('form', { class: 'admin-form', testid, attrs: { novalidate: '' } });
    for (const [label, name, control] of fields) {
      const error = el('span', { class: 'admin-error', testid: `${testid}-error-${name}`, attrs: { role: 'alert' } });
      this.errors.set(name, error);
      this.element.append(el('label', { class: 'admin-field' }, el('span', { class: 'admin-label', text: label }), control, error));
    }
    this.element.append(el('div', { class: 'admin-field admin-submit' }, this.submitButton, this.general));
    this.element.addEventListener('submit', (event) => {
      event.preventDefault();
      this.clear();
      this.submitButton.disabled = true;
      submit()
        .catch((error: unknown) => this.show(error))
        .finally(() => {
          this.submitButton.disabled = false;
        });
    });
  }

  show(error: unknown): void {
    const field = error instanceof ApiError && error.field !== null ? (this.errors.get(error.field) ?? this.errors.get(error.field.split('.')[0]!)) : undefined;
    (field ?? this.general).textContent = reason(error);
  }

  clear(): void {
    this.general.textContent = '';
    this.errors.forEach((slot) => {
      slot.textContent = '';
    });
  }
}

/** A table with a header row; `rows` replaces the body. */
export class Table {
  readonly element: HTMLTableElement;
  private readonly body: HTMLTableSectionElement;

  constructor(testid: string, headers: string[], private readonly empty: string) {
    this.body = el('tbody');
    this.element = el(
      'table',
      { class: 'admin-table', testid },
      el('thead', {}, el('tr', {}, ...headers.map((header) => el('th', { text: header })))),
      this.body,
    );
  }

  rows(rows: HTMLTableRowElement[]): void {
    const columns = this.element.tHead?.rows[0]?.cells.length ?? 1;
    this.body.replaceChildren(
      ...(rows.length > 0 ? rows : [el('tr', {}, el('td', { class: 'admin-empty', text: this.empty, attrs: { colspan: String(columns) } }))]),
    );
  }
}

export function row(testid: string, key: string, ...cells: (string | Node)[]): HTMLTableRowElement {
  const tr = el('tr', { testid, attrs: { 'data-key': key } });
  for (const content of cells) {
    tr.append(typeof content === 'string' ? el('td', { text: content }) : el('td', {}, content));
  }
  return tr;
}

/** A section of an admin tab: a heading and what goes under it. */
export function section(title: string, ...children: Node[]): HTMLElement {
  return el('section', { class: 'admin-section' }, el('h2', { class: 'admin-heading', text: title }), ...children);
}

/** Checkboxes for a set of values; none ticked means "all" wherever the API says absent = all. */
export function checkGroup<T extends string>(testid: string, values: readonly T[]): { element: HTMLElement; values(): T[]; clear(): void } {
  const boxes = values.map((value) => {
    const box = el('input', { testid: `${testid}-${value}`, attrs: { type: 'checkbox', value } });
    return { value, box };
  });
  return {
    element: el('span', { class: 'admin-checks', testid }, ...boxes.map(({ value, box }) => el('label', { class: 'admin-check' }, box, document.createTextNode(value)))),
    values: () => boxes.filter(({ box }) => box.checked).map(({ value }) => value),
    clear: () => boxes.forEach(({ box }) => {
      box.checked = false;
    }),
  };
}

/** A button that asks once more, in place, before doing something that cannot be undone. */
export function confirmButton(text: string, question: string, testid: string, act: () => Promise<void>, failed: (error: unknown) => void): HTMLElement {
  const first = button(text, testid, 'danger');
  const yes = button('Yes', `${testid}-confirm`, 'danger solid');
  const no = button('No', `${testid}-keep`);
  const ask = el('span', { class: 'admin-confirm', attrs: { hidden: '' } }, el('span', { class: 'admin-question', text: question }), yes, no);
  first.addEventListener('click', () => {
    first.hidden = true;
    ask.hidden = false;
  });
  no.addEventListener('click', () => {
    first.hidden = false;
    ask.hidden = true;
  });
  yes.addEventListener('click', () => {
    yes.disabled = true;
    act()
      .catch(failed)
      .finally(() => {
        yes.disabled = false;
        first.hidden = false;
        ask.hidden = true;
      });
  });
  return el('span', { class: 'admin-confirm-wrap' }, first, ask);
}
