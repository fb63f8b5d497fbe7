import { el } from '../dom';
import { UNIT_TYPES, type Agency, type UnitType } from '../types';
import { createUnit, listUnits, rotateKey } from './adminapi';
import { choice, confirmButton, InlineForm, reason, row, section, Table, textInput, when } from './forms';
import { KeyBox } from './keybox';

interface Listed {
  id: string;
  name: string | null;
  type: UnitType;
  agency: string | null;
  status: string;
  time: string | null;
}

/**
 * Units: create one (its device key shown once), rotate a key (the new one shown once). The server lists units once
 * they have reported; one created here is listed from the start, marked as not reported yet.
 */
export class UnitsTab {
  readonly element: HTMLElement;
  private readonly table = new Table('units-table', ['Unit', 'Name', 'Type', 'Agency', 'Status', 'Last fix (UTC)', '', ''], 'No units');
  private readonly agency = choice('unit-agency', [['', 'My agency']]);
  private readonly keyBox = new KeyBox();
  private readonly created = new Map<string, Listed>();

  constructor(private readonly signal: AbortSignal) {
    const id = textInput('unit-id', { maxlength: '64', placeholder: 'e.g. PV-14' });
    const name = textInput('unit-name', { maxlength: '200' });
    const type = choice('unit-type', UNIT_TYPES);
    const form = new InlineForm(
      'unit-form',
      [
        ['Unit id', 'id', id],
        ['Name', 'name', name],
        ['Type', 'type', type],
        ['Agency', 'agency', this.agency],
      ],
      'Create unit',
      async () => {
        const unit = await createUnit(this.signal, {
          id: id.value.trim(),
          ...(name.value.trim() === '' ? {} : { name: name.value.trim() }),
          type: type.value as UnitType,
          ...(this.agency.value === '' ? {} : { agency: this.agency.value }),
        });
        this.keyBox.show(unit.id, unit.deviceKey, false);
        this.created.set(unit.id, { id: unit.id, name: unit.name, type: unit.type, agency: unit.agency, status: 'not reported', time: null });
        id.value = '';
        name.value = '';
        await this.load();
      },
    );
    this.element = el('div', { class: 'admin-tab' }, section('New unit', form.element), this.keyBox.element, section('Units', this.table.element));
  }

  setAgencies(agencies: Agency[]): void {
    const chosen = this.agency.value;
    this.agency.replaceChildren(el('option', { text: 'My agency', attrs: { value: '' } }));
    agencies.forEach((agency) => this.agency.append(el('option', { text: `${agency.name} (${agency.id})`, attrs: { value: agency.id } })));
    this.agency.value = chosen;
  }

  /** Leaving the page forgets a key still on show. */
  hideKey(): void {
    this.keyBox.hide();
  }

  async load(): Promise<void> {
    const collection = await listUnits(this.signal);
    const units = new Map<string, Listed>(this.created);
    for (const { properties: unit } of collection.features) {
      units.set(unit.id, { id: unit.id, name: unit.name, type: unit.type, agency: unit.agency, status: unit.status, time: unit.time });
      this.created.delete(unit.id); // it has reported: the server lists it from now on
    }
    const sorted = [...units.values()].sort((a, b) => a.id.localeCompare(b.id));
    this.table.rows(sorted.map((unit) => this.unitRow(unit)));
  }

  private unitRow(unit: Listed): HTMLTableRowElement {
    const result = el('span', { class: 'admin-result failed', testid: 'unit-result', attrs: { role: 'status' } });
    const rotate = confirmButton(
      'Rotate key…',
      `The device stops working until it gets the new key. Rotate ${unit.id}?`,
      'unit-rotate',
      async () => {
        result.textContent = '';
        const { deviceKey } = await rotateKey(this.signal, unit.id);
        this.keyBox.show(unit.id, deviceKey, true);
        this.keyBox.element.scrollIntoView({ block: 'nearest' });
      },
      (error) => {
        result.textContent = reason(error);
      },
    );
    const status = el('span', { class: 'admin-state', text: unit.status, attrs: { 'data-state': unit.status } });
    return row('unit-row', unit.id, el('b', { text: unit.id }), unit.name ?? '', unit.type, unit.agency ?? '', status, when(unit.time), rotate, result);
  }
}
