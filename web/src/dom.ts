interface Props {
  class?: string;
  text?: string;
  testid?: string;
  attrs?: Record<string, string>;
}

/** Creates an element; `testid` becomes the data-testid the browser tests look for. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Node[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.class !== undefined) {
    element.className = props.class;
  }
  if (props.text !== undefined) {
    element.textContent = props.text;
  }
  if (props.testid !== undefined) {
    element.dataset['testid'] = props.testid;
  }
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    element.setAttribute(name, value);
  }
  element.append(...children);
  return element;
}

/** HH:MM:SS in UTC, the watch floor's common clock. */
export function utcTime(iso: string | Date): string {
  return new Date(iso).toISOString().slice(11, 19);
}

/** Saves `blob` as a file named `name`, as a download link would, for content fetched with the session's token. */
export function saveFile(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = el('a', { attrs: { href: url, download: name } });
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has the file once the click is handled; the URL is let go a little later, whatever it is doing.
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
