type Child = Node | string | number | undefined | false;

/** An element with attributes and children; text is always text, never HTML. */
export const h = (
  tag: string,
  attributes: Readonly<Record<string, string>> = {},
  ...children: readonly (Child | readonly Child[])[]
): HTMLElement => {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children.flat()) {
    if (child === undefined || child === false) continue;
    element.append(typeof child === 'number' ? String(child) : child);
  }
  return element;
};

/** Replaces what `parent` shows. */
export const show = (parent: HTMLElement, ...children: readonly Child[]): void => {
  parent.replaceChildren();
  for (const child of children) {
    if (child === undefined || child === false) continue;
    parent.append(typeof child === 'number' ? String(child) : child);
  }
};
