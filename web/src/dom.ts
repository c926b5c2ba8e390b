/** A tiny element builder: h('button', { class: 'x', onclick }, 'Text'). Text is always set as text, never HTML. */
export type Child = Node | string | number | null | undefined | false;
type Props = Record<string, string | number | boolean | EventListener | null | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** Replaces the page's main content and moves focus to its heading, for keyboard and screen-reader users. */
export function render(root: HTMLElement, ...children: Child[]): void {
  root.replaceChildren(
    ...children
      .filter((c): c is Node | string => c !== null && c !== undefined && c !== false)
      .map((c) => (typeof c === 'number' ? String(c) : c)),
  );
  const heading = root.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }
}

/** The placeholder picture's content-hashed address, set by the build (dev/website.ts). */
declare const PLACEHOLDER_URL: string;

/** An image that shows the placeholder when its own picture cannot be loaded. */
export function picture(src: string, alt: string, className: string): HTMLImageElement {
  const img = h('img', { src, alt, class: className, loading: 'lazy', width: 200, height: 200 });
  img.addEventListener(
    'error',
    () => {
      img.src = PLACEHOLDER_URL;
      img.classList.add('placeholder');
    },
    { once: true },
  );
  return img;
}

/** A message region that screen readers announce; empty when there is nothing to say. */
export function messageBox(): { element: HTMLElement; show(text: string | string[], kind?: 'error' | 'info'): void; clear(): void } {
  const element = h('div', { class: 'message', role: 'alert', 'aria-live': 'assertive', hidden: true });
  return {
    element,
    show(text, kind = 'error') {
      const lines = Array.isArray(text) ? text : [text];
      element.replaceChildren(...lines.map((line) => h('p', {}, line)));
      element.className = `message ${kind}`;
      element.hidden = false;
    },
    clear() {
      element.replaceChildren();
      element.hidden = true;
    },
  };
}
