// Live refreshes patch the page in place instead of rebuilding it: keyboard focus, scroll positions, open
// <details> and running charts survive a refresh, and screen readers hear only the figures that changed
// (a rebuilt live region would be read out whole, twice a second).

const customUpdaters = new WeakMap<Element, (next: Element) => void>();

/** Lets an element (a chart) take the newer version's data itself instead of being patched node by node. */
export function onMorph(node: Element, update: (next: Element) => void): void {
  customUpdaters.set(node, update);
}

/** Attributes the user changes by interacting; a refresh must not undo them. */
const USER_STATE: Record<string, readonly string[]> = { DETAILS: ['open'] };

/** Makes `current`'s children look like `next`, reusing every node whose tag (and data-key) still matches. */
export function morphChildren(current: Element, next: readonly Node[]): void {
  const old = [...current.childNodes];
  next.forEach((n, i) => {
    const o = old[i];
    if (!o) current.append(n);
    else if (!morphNode(o, n)) o.replaceWith(n);
  });
  for (const o of old.slice(next.length)) o.remove();
}

/** Patches `o` into `n`; false when they differ too much and `o` must be replaced. */
function morphNode(o: Node, n: Node): boolean {
  if (o.nodeType === Node.TEXT_NODE && n.nodeType === Node.TEXT_NODE) {
    // Writing an unchanged text would still count as a change for a live region.
    if (o.nodeValue !== n.nodeValue) o.nodeValue = n.nodeValue;
    return true;
  }
  if (!(o instanceof Element) || !(n instanceof Element)) return false;
  if (o.tagName !== n.tagName || o.getAttribute('data-key') !== n.getAttribute('data-key')) return false;
  const custom = customUpdaters.get(o);
  if (custom) {
    custom(n);
    return true;
  }
  syncAttributes(o, n);
  morphChildren(o, [...n.childNodes]);
  return true;
}

function syncAttributes(o: Element, n: Element): void {
  const keep = USER_STATE[o.tagName] ?? [];
  for (const { name } of [...o.attributes]) if (!n.hasAttribute(name) && !keep.includes(name)) o.removeAttribute(name);
  for (const { name, value } of [...n.attributes]) if (!keep.includes(name) && o.getAttribute(name) !== value) o.setAttribute(name, value);
}
