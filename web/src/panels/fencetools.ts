import { el } from '../dom';
import type { ShapeKind } from '../map/fenceshapes';

export type Tool = ShapeKind | 'pick';

const TOOLS: { tool: Tool; text: string; title: string }[] = [
  { tool: 'polygon', text: 'Polygon', title: 'Draw a polygon fence' },
  { tool: 'circle', text: 'Circle', title: 'Draw a circle fence' },
  { tool: 'corridor', text: 'Corridor', title: 'Draw a corridor: a line with a width' },
  { tool: 'pick', text: 'Edit fence', title: 'Pick a fence on the map to edit or delete it' },
];

const HINT: Record<Tool, string> = {
  polygon: 'Click each corner; click the first corner to close. Esc cancels.',
  circle: 'Click the centre, move out, click again at the radius. Esc cancels.',
  corridor: 'Click along the route; click the last point again to finish. Esc cancels.',
  pick: 'Click a fence on the map. Esc cancels.',
};

/** The operator's fence tools over the map: one button per shape and one to pick a fence; the active one is lit. */
export class FenceTools {
  readonly element: HTMLElement;
  private readonly buttons = new Map<Tool, HTMLButtonElement>();
  private readonly hint: HTMLElement;

  constructor(chosen: (tool: Tool | null) => void) {
    this.hint = el('span', { class: 'fence-tools-hint', testid: 'fence-tools-hint' });
    const bar = el('div', { class: 'fence-tools-bar' }, el('span', { class: 'fence-tools-title', text: 'Fences' }));
    for (const { tool, text, title } of TOOLS) {
      const button = el('button', { class: 'fence-tool', text, testid: `fence-tool-${tool}`, attrs: { type: 'button', title, 'aria-pressed': 'false' } });
      button.addEventListener('click', () => chosen(button.getAttribute('aria-pressed') === 'true' ? null : tool));
      this.buttons.set(tool, button);
      bar.append(button);
    }
    this.element = el('div', { class: 'fence-tools', testid: 'fence-tools' }, bar, this.hint);
    this.show(null);
  }

  /** Lights the active tool (null: none) and says what to do with it. */
  show(tool: Tool | null, hint?: string): void {
    for (const [key, button] of this.buttons) {
      button.setAttribute('aria-pressed', String(key === tool));
    }
    this.hint.textContent = hint ?? (tool === null ? '' : HINT[tool]);
    this.hint.hidden = this.hint.textContent === '';
  }
}
