import { el } from '../dom';
import type { FleetUnit } from '../types';

/** Most units the list offers; a pile larger than this is better zoomed into. */
const MAX_CHOICES = 30;

/** A list at the click point when several units sit under it: the operator picks one, not the map. */
export class Chooser {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly title: HTMLElement;
  private readonly closeOnEscape = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      this.hide();
    }
  };

  constructor(private readonly choose: (unitId: string) => void) {
    this.title = el('p', { class: 'chooser-title' });
    this.list = el('ul', { class: 'chooser-list' });
    this.element = el(
      'div',
      { class: 'chooser', testid: 'unit-chooser', attrs: { hidden: '', role: 'dialog', 'aria-label': 'Units here' } },
      this.title,
      this.list,
    );
  }

  show(units: readonly FleetUnit[], x: number, y: number): void {
    const shown = [...units].sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true })).slice(0, MAX_CHOICES);
    this.title.textContent = units.length > shown.length ? `${units.length} units here (first ${shown.length})` : `${units.length} units here`;
    this.list.replaceChildren(
      ...shown.map((unit) => {
        const button = el(
          'button',
          { class: `chooser-unit chooser-${unit.status}`, testid: 'unit-choice', attrs: { type: 'button', 'data-unit-id': unit.id } },
          el('b', { text: unit.id }),
          el('span', { text: ` ${unit.type} · ${unit.status}` }),
        );
        button.addEventListener('click', () => {
          this.hide();
          this.choose(unit.id);
        });
        return el('li', {}, button);
      }),
    );
    this.element.hidden = false;
    // Beside the click, but inside the map: a click near the edge opens the list towards the middle.
    const area = this.element.parentElement?.getBoundingClientRect();
    const width = this.element.offsetWidth;
    const height = this.element.offsetHeight;
    const left = area === undefined ? x : Math.max(0, Math.min(x, area.width - width - 8));
    const top = area === undefined ? y : Math.max(0, Math.min(y, area.height - height - 8));
    this.element.style.left = `${Math.round(left)}px`;
    this.element.style.top = `${Math.round(top)}px`;
    document.addEventListener('keydown', this.closeOnEscape);
  }

  hide(): void {
    this.element.hidden = true;
    document.removeEventListener('keydown', this.closeOnEscape);
  }
}
