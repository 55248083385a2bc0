/**
 * The inspector: one compiled module's header, sections, symbols and note.sdn tables, and a
 * download of its .smf file, read from the file's bytes as `smf inspect` reads them.
 */
import { parseNoteSdn } from '../sdn/index.js';
import { SmfReader } from '../smf/index.js';
import { el, table } from './dom.js';

const hex = (n: number | bigint): string => `0x${n.toString(16)}`;

export function renderInspector(name: string, bytes: Uint8Array): HTMLElement {
  // Written and loaded (its hash checked) by this page just before.
  const reader = SmfReader.fromBytes(bytes, { file: `${name}.smf`, verifyHash: false });
  const header = Object.entries(reader.header as unknown as Record<string, number | bigint>).map(([k, v]) => [k, k.endsWith('Hash') ? hex(v) : String(v)]);
  const sections = reader.sections.map((s) => [s.index, s.name, s.type, hex(s.flags), s.size, s.virtualSize]);
  const symbols = [...reader.symbols()].map((s) => [s.index, s.name, s.type, s.binding, s.visibility, String(s.value), s.version, s.templateParamCount]);
  const text = reader.noteSdnText();
  const note = text === undefined ? null : parseNoteSdn(text);
  const url = URL.createObjectURL(new Blob([bytes.slice()], { type: 'application/octet-stream' }));
  const parts: Node[] = [
    el('p', {}, el('a', { id: 'download', href: url, download: `${name}.smf` }, `download ${name}.smf`), ` (${bytes.length} bytes)`),
    el('h3', {}, 'Header'),
    table('inspector-header', ['field', 'value'], header),
    el('h3', {}, 'Sections'),
    table('inspector-sections', ['#', 'name', 'type', 'flags', 'size', 'in memory'], sections),
    el('h3', {}, 'Symbols'),
    table('inspector-symbols', ['#', 'name', 'type', 'binding', 'visibility', 'value', 'version', 'type params'], symbols),
    el('h3', {}, 'note.sdn'),
  ];
  if (!note) parts.push(el('p', {}, 'no note'));
  else {
    parts.push(
      el('h4', {}, `instantiations (${note.instantiations.length})`),
      table('note-instantiations', ['template', 'type args', 'mangled name', 'from file', 'from loc', 'to obj', 'status'], note.instantiations.map((r) => [r.template, r.typeArgs, r.mangledName, r.fromFile, r.fromLoc, r.toObj, r.status])),
      el('h4', {}, `possible (${note.possible.length})`),
      table('note-possible', ['template', 'type args', 'mangled name', 'required by', 'can defer'], note.possible.map((r) => [r.template, r.typeArgs, r.mangledName, r.requiredBy, r.canDefer])),
      el('h4', {}, `type_inferences (${note.typeInferences.length})`),
      table('note-type-inferences', ['inferred type', 'expr', 'context', 'from file', 'from loc'], note.typeInferences.map((r) => [r.inferredType, r.expr, r.context, r.fromFile, r.fromLoc])),
      el('h4', {}, `dependencies (${note.dependencies.length})`),
      table('note-dependencies', ['from', 'to', 'kind'], note.dependencies.map((r) => [r.fromInst, r.toInst, r.depKind])),
      el('h4', {}, `circular_warnings (${note.circularWarnings.length}), circular_errors (${note.circularErrors.length})`),
      table('note-circular', ['cycle', 'severity / code'], [...note.circularWarnings.map((r) => [r.cyclePath, r.severity]), ...note.circularErrors.map((r) => [r.cyclePath, r.errorCode])]),
    );
  }
  return el('div', { class: 'inspector-body', 'data-module': name }, ...parts);
}
