import { el } from '../dom';
import { button } from './forms';

/**
 * A device key, shown once: the server keeps only its hash, so the box says so plainly, offers a copy button and
 * stays until the admin dismisses it. Nothing else in the app keeps the key.
 */
export class KeyBox {
  readonly element: HTMLElement;
  private readonly title = el('h3', { class: 'key-title', testid: 'key-title' });
  private readonly key = el('code', { class: 'key-value', testid: 'device-key' });
  private readonly copied = el('span', { class: 'key-copied', testid: 'key-copied', attrs: { role: 'status' } });

  constructor() {
    const copy = button('Copy key', 'key-copy', 'primary');
    copy.addEventListener('click', () => void this.copy());
    const done = button('I have stored it', 'key-done');
    done.addEventListener('click', () => this.hide());
    this.element = el(
      'div',
      { class: 'key-box', testid: 'key-box', attrs: { role: 'alert', hidden: '' } },
      this.title,
      el('p', { class: 'key-warning', text: 'Shown only now. Copy it into the device; it cannot be shown again. Lost keys are replaced by rotating.' }),
      el('div', { class: 'key-row' }, this.key, copy, this.copied),
      done,
    );
  }

  show(unitId: string, deviceKey: string, rotated: boolean): void {
    this.title.textContent = rotated ? `New device key for ${unitId} (the old one no longer works)` : `Device key for ${unitId}`;
    this.key.textContent = deviceKey;
    this.copied.textContent = '';
    this.element.hidden = false;
  }

  hide(): void {
    this.key.textContent = '';
    this.element.hidden = true;
  }

  private async copy(): Promise<void> {
    const text = this.key.textContent ?? '';
    try {
      await navigator.clipboard.writeText(text);
      this.copied.textContent = 'Copied';
    } catch {
      // No clipboard permission (e.g. plain http on another host): select it for Ctrl+C instead.
      const range = document.createRange();
      range.selectNodeContents(this.key);
      const selection = window.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
      this.copied.textContent = 'Selected: press Ctrl+C';
    }
  }
}
