import { el } from '../dom';
import { CONTACT_COLOR, CONTACT_STALE_COLOR, STATUS_COLOR, type ColorMode } from '../palette';

export interface LegendEntry {
  label: string;
  color: string;
}

const MODE_TEXT: Record<ColorMode, string> = { status: 'Status', agency: 'Agency' };

/** The map's key, bottom right: what the unit colours mean, and the switch between colouring by status and agency. */
export class Legend {
  readonly element: HTMLElement;
  private readonly entries: HTMLElement;
  private readonly buttons = new Map<ColorMode, HTMLButtonElement>();
  private readonly contactsButton: HTMLButtonElement;
  private readonly contactsRow: HTMLElement;
  private contactsPresent = false;
  private mode: ColorMode;
  private agencies: LegendEntry[] = [];
  private contactsToggled: (shown: boolean) => void = () => undefined;

  constructor(mode: ColorMode, change: (mode: ColorMode) => void) {
    this.mode = mode;
    const switcher = el('div', { class: 'legend-switch', attrs: { role: 'group', 'aria-label': 'Colour units by' } });
    for (const option of ['status', 'agency'] as const) {
      const button = el('button', {
        class: 'legend-mode',
        text: MODE_TEXT[option],
        testid: `legend-mode-${option}`,
        attrs: { type: 'button' },
      });
      button.addEventListener('click', () => {
        this.mode = option;
        this.render();
        change(option);
      });
      this.buttons.set(option, button);
      switcher.append(button);
    }
    this.entries = el('ul', { class: 'legend-entries', testid: 'legend-entries' });
    this.contactsButton = el('button', {
      class: 'legend-mode',
      text: 'Shown',
      testid: 'contacts-toggle',
      attrs: { type: 'button', 'aria-pressed': 'true', title: 'Show or hide contacts (aircraft, vessels, radar tracks)' },
    });
    this.contactsButton.addEventListener('click', () => {
      const shown = this.contactsButton.getAttribute('aria-pressed') !== 'true';
      this.setContactsShown(shown);
      this.contactsToggled(shown);
    });
    // One line for contacts, so the key stays small over the map: the hollow live and stale marks, and the toggle.
    this.contactsRow = el(
      'div',
      { class: 'legend-head legend-contacts-head', testid: 'legend-contacts' },
      el('span', { class: 'legend-title', text: 'Contacts' }),
      this.contactItem('live', CONTACT_COLOR, false),
      this.contactItem('stale', CONTACT_STALE_COLOR, true),
      this.contactsButton,
    );
    this.contactsRow.hidden = true;
    this.element = el(
      'section',
      { class: 'legend', testid: 'legend', attrs: { 'aria-label': 'Map legend' } },
      el('div', { class: 'legend-head' }, el('span', { class: 'legend-title', text: 'Colour' }), switcher),
      this.entries,
      this.contactsRow,
    );
    this.render();
  }

  onContactsToggle(handler: (shown: boolean) => void): void {
    this.contactsToggled = handler;
  }

  setContactsShown(shown: boolean): void {
    this.contactsButton.setAttribute('aria-pressed', String(shown));
    this.contactsButton.textContent = shown ? 'Shown' : 'Hidden';
    this.renderContacts();
  }

  /** The contacts line shows while there are contacts, or while they are hidden (so they can be shown again). */
  setContactsPresent(present: boolean): void {
    if (present !== this.contactsPresent) {
      this.contactsPresent = present;
      this.renderContacts();
    }
  }

  private renderContacts(): void {
    this.contactsRow.hidden = !this.contactsPresent && this.contactsButton.getAttribute('aria-pressed') === 'true';
  }

  setAgencies(agencies: LegendEntry[]): void {
    this.agencies = agencies;
    this.render();
  }

  private render(): void {
    for (const [mode, button] of this.buttons) {
      button.setAttribute('aria-pressed', String(mode === this.mode));
    }
    this.element.dataset['mode'] = this.mode;
    const items: HTMLElement[] = [];
    if (this.mode === 'status') {
      items.push(this.item('Live', STATUS_COLOR.live), this.item('Stale (faded, !)', STATUS_COLOR.stale, '!'));
    } else {
      this.agencies.forEach((agency) => items.push(this.item(agency.label, agency.color)));
      items.push(this.item('Stale (faded, !)', STATUS_COLOR.stale, '!'));
    }
    items.push(this.item('Lost (grey, ✕)', STATUS_COLOR.lost, '✕'));
    this.entries.replaceChildren(...items);
  }

  /** A contact's swatch: a hollow diamond, as contacts are drawn hollow on the map (dashed when stale). */
  private contactItem(label: string, color: string, stale: boolean): HTMLElement {
    const swatch = el('span', { class: stale ? 'legend-contact legend-contact-stale' : 'legend-contact' });
    swatch.style.borderColor = color;
    const title = `${label} contact: hollow, not an own unit`;
    return el('span', { class: 'legend-entry', attrs: { title } }, swatch, el('span', { text: label }));
  }

  private item(label: string, color: string, flag?: string): HTMLElement {
    const swatch = el('span', { class: 'legend-swatch', text: flag ?? '' });
    swatch.style.background = color;
    return el('li', { class: 'legend-entry' }, swatch, el('span', { text: label }));
  }
}
