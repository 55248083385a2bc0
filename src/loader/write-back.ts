/**
 * The write-back of load-time instantiations into SMF files, and the JIT code kept there.
 *
 * For every module loaded from a file it remembers the file as it was read, the instances kept
 * in its `jit_cache` section (decoded on first use), and the instances waiting to be written.
 * Writes are batched (at the end of the current turn, or on `flush`) and atomic: the new file is
 * written beside the old one and renamed over it, so a crash or a concurrent reader never sees a
 * half-written SMF. A file someone else changed since it was read is left alone.
 */
import type { NoteSdn } from '../sdn/index.js';
import { serializeNoteSdn } from '../sdn/index.js';
import { moduleSpecFromReader, SectionType, writeSmf } from '../smf/index.js';
import { files, natives } from '../platform/index.js';
import type { SmfReader } from '../smf/index.js';
import { decodeJitCache, encodeJitCache, JIT_CACHE_SECTION } from './jit-code-cache.js';
import type { CachedInstance } from './jit-code-cache.js';
import { LoadError } from './errors.js';
import type { SmfCache } from './smf-cache.js';

interface FileState {
  /** The file as this loader read it. */
  reader: SmfReader;
  jitCache: Map<string, CachedInstance> | undefined;
  /** Created with the first instance: most modules never get one. */
  pending: CachedInstance[] | undefined;
  /**
   * The module whose note and file to write, taken when a change is recorded: a module whose
   * load fails is gone from the loader by the time its changes are written.
   */
  target: WritableModule | undefined;
}

/** What a write needs of a loaded module. */
export interface WritableModule {
  readonly path: string;
  readonly note: NoteSdn;
}

/** The kept instances of a file without a jit_cache section (shared; never modified). */
const NOTHING_KEPT: Map<string, CachedInstance> = new Map();

export class WriteBack {
  private readonly files = new Map<string, FileState>();
  /** Built on the first lookup, kept up to date as modules are tracked; dropped on unload and reload. */
  private bySymbol: Map<string, CachedInstance[]> | undefined;
  /** Modules with instances waiting to be written. */
  private readonly withPending = new Set<string>();
  private scheduled = false;

  constructor(
    private readonly cache: SmfCache,
    private readonly moduleOf: (name: string) => WritableModule | undefined,
    private readonly onError: (path: string, error: Error) => void,
  ) {}

  /** Starts tracking a module read from `reader`'s file. */
  track(module: string, reader: SmfReader): void {
    const state: FileState = { reader, jitCache: undefined, pending: undefined, target: undefined };
    this.files.set(module, state);
    if (this.bySymbol) this.index(this.bySymbol, state);
  }

  isTracked(module: string): boolean {
    return this.files.has(module);
  }

  /** Writes what is pending, then stops tracking the module. */
  forget(module: string): void {
    this.flush();
    this.files.delete(module);
    this.bySymbol = undefined;
  }

  /** After a reload: the module's file is the new one; what was pending for the old is written first. */
  replaced(module: string, reader: SmfReader): void {
    const state = this.files.get(module);
    if (!state) return;
    this.flush();
    state.reader = reader;
    state.jitCache = undefined;
    this.bySymbol = undefined;
  }

  /** Queues an instance compiled for `module` (whose note the caller has already updated). */
  record(module: string, entry: CachedInstance): void {
    const state = this.files.get(module);
    if (!state) return;
    (state.pending ??= []).push(entry);
    this.schedule(module, state);
  }

  /** Queues a write of `module`'s note, which the caller has changed (a `circular_errors` row). */
  noteChanged(module: string): void {
    const state = this.files.get(module);
    if (state) this.schedule(module, state);
  }

  private schedule(module: string, state: FileState): void {
    state.target = this.moduleOf(module) ?? state.target;
    this.withPending.add(module);
    if (!this.scheduled) {
      this.scheduled = true;
      natives.afterJob(() => this.flush(), true);
    }
  }

  /** Writes every pending update now. */
  flush(): void {
    this.scheduled = false;
    const names = [...this.withPending];
    this.withPending.clear();
    for (const name of names) {
      const state = this.files.get(name);
      const module = state?.target;
      if (!state || !module) continue;
      const entries = state.pending ?? [];
      state.pending = undefined;
      state.target = undefined;
      try {
        const current = this.cache.get(module.path, { fresh: true }).reader;
        if (current !== state.reader) {
          throw new LoadError('LOAD_WRITE_BACK', 'the file changed on disk since it was loaded: its load-time instances are not written back');
        }
        const spec = moduleSpecFromReader(current);
        const kept = new Map(this.kept(state));
        for (const e of entries) kept.set(e.symbol, e);
        state.jitCache = kept;
        if (this.bySymbol) for (const e of entries) indexEntry(this.bySymbol, e);
        const sections = spec.sections.filter((s) => s.name !== JIT_CACHE_SECTION);
        if (kept.size > 0) sections.push({ type: SectionType.Code, name: JIT_CACHE_SECTION, data: encodeJitCache([...kept.values()]) });
        files.writeFileAtomicSync(module.path, writeSmf({ ...spec, sections, note: serializeNoteSdn(module.note) }));
        // The file on disk is ours again: serve it without taking it for someone else's change.
        state.reader = this.cache.get(module.path, { fresh: true }).reader;
      } catch (e) {
        this.onError(module.path, e as Error);
      }
    }
  }

  /** Code for `symbol` kept by an earlier run in any tracked file, if its fingerprint matches. */
  lookup(symbol: string, fingerprint: () => bigint): CachedInstance | undefined {
    const entries = (this.bySymbol ??= this.buildIndex()).get(symbol);
    if (!entries) return undefined;
    const wanted = fingerprint();
    return entries.find((e) => e.fingerprint === wanted);
  }

  /** Every kept instance by symbol, over all tracked files: a lookup is then one map access. */
  private buildIndex(): Map<string, CachedInstance[]> {
    const index = new Map<string, CachedInstance[]>();
    for (const state of this.files.values()) this.index(index, state);
    return index;
  }

  private index(index: Map<string, CachedInstance[]>, state: FileState): void {
    for (const entry of this.kept(state).values()) indexEntry(index, entry);
  }

  private kept(state: FileState): Map<string, CachedInstance> {
    if (state.jitCache === undefined) {
      const section = state.reader.findSectionIndex(SectionType.Code, JIT_CACHE_SECTION);
      state.jitCache = section >= 0 ? decodeJitCache(state.reader.sectionData(section), state.reader.file) : NOTHING_KEPT;
    }
    return state.jitCache;
  }
}

function indexEntry(index: Map<string, CachedInstance[]>, entry: CachedInstance): void {
  const list = index.get(entry.symbol);
  if (list) list.push(entry);
  else index.set(entry.symbol, [entry]);
}
