/** Small DOM helpers for the page: elements and tables built without HTML strings. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

export function table(id: string, head: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | bigint | boolean>>): HTMLTableElement {
  return el(
    'table',
    { id, class: 'data' },
    el('thead', {}, el('tr', {}, ...head.map((h) => el('th', {}, h)))),
    el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, String(c)))))),
  );
}
