import { el } from '../dom';
import { UNIT_TYPES, type Agency, type UnitType } from '../types';
import { createAgency, createShare, deleteShare, listAgencies, listShares, type Share } from './adminapi';
import { checkGroup, choice, confirmButton, InlineForm, reason, row, section, Table, textInput } from './forms';

/** Agencies (root admins create them) and the shares between them, with the unit types or units each covers. */
export class AgenciesTab {
  readonly element: HTMLElement;
  private readonly agencies = new Table('agencies-table', ['Agency', 'Name'], 'No agencies');
  private readonly shares = new Table('shares-table', ['From', 'To', 'Unit types', 'Units', '', ''], 'Nothing shared');
  private readonly from = choice('share-from', []);
  private readonly to = choice('share-to', []);

  constructor(
    private readonly signal: AbortSignal,
    private readonly loaded: (agencies: Agency[]) => void,
  ) {
    const id = textInput('agency-id', { maxlength: '64', placeholder: 'e.g. cbp-el-paso' });
    const name = textInput('agency-name', { maxlength: '200' });
    const agencyForm = new InlineForm('agency-form', [['Id', 'id', id], ['Name', 'name', name]], 'Create agency', async () => {
      await createAgency(this.signal, { id: id.value.trim(), name: name.value.trim() });
      id.value = '';
      name.value = '';
      await this.load();
    });
    const types = checkGroup<UnitType>('share-types', UNIT_TYPES);
    const unitIds = textInput('share-units', { placeholder: 'all units (or ids, comma-separated)' });
    const shareForm = new InlineForm(
      'share-form',
      [
        ['From', 'from', this.from],
        ['To', 'to', this.to],
        ['Unit types (none: all)', 'unitTypes', types.element],
        ['Units', 'unitIds', unitIds],
      ],
      'Share',
      async () => {
        const ids = unitIds.value.split(',').map((part) => part.trim()).filter((part) => part !== '');
        await createShare(this.signal, {
          from: this.from.value,
          to: this.to.value,
          ...(types.values().length === 0 ? {} : { unitTypes: types.values() }),
          ...(ids.length === 0 ? {} : { unitIds: ids }),
        });
        types.clear();
        unitIds.value = '';
        await this.load();
      },
    );
    this.element = el(
      'div',
      { class: 'admin-tab' },
      section('Agencies', agencyForm.element, this.agencies.element),
      section('Shares', shareForm.element, this.shares.element),
    );
  }

  async load(): Promise<void> {
    const [agencies, shares] = await Promise.all([listAgencies(this.signal), listShares(this.signal)]);
    this.loaded(agencies);
    this.agencies.rows(agencies.map((agency) => row('agency-row', agency.id, el('b', { text: agency.id }), agency.name)));
    for (const select of [this.from, this.to]) {
      const chosen = select.value;
      select.replaceChildren(...agencies.map((agency) => el('option', { text: agency.id, attrs: { value: agency.id } })));
      if (chosen !== '') {
        select.value = chosen;
      }
    }
    const names = new Map(agencies.map((agency) => [agency.id, agency.name]));
    this.shares.rows(shares.map((share) => this.shareRow(share, names)));
  }

  private shareRow(share: Share, names: Map<string, string>): HTMLTableRowElement {
    const result = el('span', { class: 'admin-result failed', attrs: { role: 'status' } });
    const unshare = confirmButton(
      'Unshare…',
      `${share.to} stops seeing these units at once. Unshare?`,
      'share-delete',
      async () => {
        await deleteShare(this.signal, share.id);
        await this.load();
      },
      (error) => {
        result.textContent = reason(error);
      },
    );
    return row(
      'share-row',
      share.id,
      names.get(share.from) ?? share.from,
      names.get(share.to) ?? share.to,
      share.unitTypes?.join(', ') ?? 'all',
      share.unitIds?.join(', ') ?? 'all',
      unshare,
      result,
    );
  }
}
