import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatReport, inspectSmf } from '../../../src/cli/inspect.js';
import { CompileSession } from '../../../src/compiler/driver/session.js';
import { emitSmf } from '../../../src/compiler/driver/emit-smf.js';
import { readSmfModule } from '../../../src/compiler/interface/smf-module.js';
import { SimpleError } from '../../../src/errors.js';
import { link } from '../../../src/linker/index.js';
import { ModuleLoader } from '../../../src/loader/module-loader.js';
import type { ModuleLoaderOptions } from '../../../src/loader/module-loader.js';
import { parseNoteSdn, parseSdn, serializeNoteSdn, stringifySdn } from '../../../src/sdn/index.js';
import { SmfReader, SymbolFlags } from '../../../src/smf/index.js';
import type { CaseResult, FuzzCase, SdnCase, SmfCase, SourceCase, StageOutcomes, SymbolCall } from './protocol.js';

/*
 * Drives one fuzz case through every stage that takes it, each stage on its own so that a
 * typed refusal by one does not hide the others. The contract: each stage ends normally or with
 * a SimpleError (a SimpleTrap, LoadError, CompileError, SmfFormatError … are all SimpleErrors).
 */

class Untyped extends Error {
  constructor(readonly stage: string, override readonly cause: unknown) {
    super(stage);
  }
}

/** Runs `fn` as `stage`: records 'ok' or the typed error's class; an untyped one stops the case. */
function stage(out: StageOutcomes, name: string, fn: () => string | void): boolean {
  try {
    const said = fn();
    out[name] = said ?? 'ok';
    return said === undefined;
  } catch (e) {
    if (e instanceof SimpleError) {
      out[name] = e.constructor.name;
      return false;
    }
    throw new Untyped(name, e);
  }
}

/** A `kind: 'error'` result must carry a typed error (or none, for a plain "not found"). */
function typedResult(r: { kind: string; error?: unknown }): void {
  if (r.kind === 'error' && r.error !== undefined && !(r.error instanceof SimpleError)) throw r.error;
  if (r.kind === 'error' && r.error instanceof SimpleError) throw r.error;
}

const discard = { write(): void {} };
/** Bounds for running damaged code: a loop or a runaway allocation ends in a trap. */
const LIMITS: ModuleLoaderOptions = { limits: { fuel: 2_000_000, timeoutMs: 1000 }, output: discard, memory: { maximumPages: 256 } };

function touch(r: SmfReader): void {
  void r.header;
  for (const s of r.sections) r.sectionData(s.index);
  for (let i = 0; i < r.symbolCount; i++) {
    const s = r.symbol(i);
    r.lookup(s.name);
    if (s.flags & SymbolFlags.GENERIC_TEMPLATE) r.templateBytes(s);
  }
  r.relocations();
  r.noteSdnText();
}

function callAll(loader: ModuleLoader, calls: readonly SymbolCall[], out: StageOutcomes, prefix: string): void {
  for (const c of calls) {
    stage(out, `${prefix}:${c.name}`, () => {
      const r = loader.resolveSymbol(c.name);
      typedResult(r);
      if (r.kind === 'found' || r.kind === 'jit') r.call(...c.args);
    });
  }
}

function driveSmf(c: SmfCase, dir: string, out: StageOutcomes): void {
  const bytes = c.files[c.main];
  let reader: SmfReader | undefined;
  stage(out, 'read', () => {
    reader = SmfReader.fromBytes(bytes, { file: c.main });
    touch(reader);
    const parts = readSmfModule(reader);
    void parts.iface;
    void parts.loadIndex;
  });
  stage(out, 'inspect', () => {
    const report = inspectSmf(reader ?? SmfReader.fromBytes(bytes, { file: c.main, verifyHash: false }));
    formatReport(report);
    JSON.stringify(report, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  });
  for (const [name, b] of Object.entries(c.files)) writeFileSync(join(dir, name), b);
  const path = join(dir, c.main);
  stage(out, 'load', () => {
    const loader = new ModuleLoader({ ...LIMITS, jit: { updateSmf: false } });
    const r = loader.load(path);
    typedResult(r);
    callAll(loader, c.calls, out, 'call');
  });
  stage(out, 'write-back', () => {
    const loader = new ModuleLoader({ ...LIMITS, jit: { updateSmf: true } });
    typedResult(loader.load(path));
    callAll(loader, c.calls, out, 'jit');
    loader.flushWrites();
    // What was written reads back, and the next run takes the kept instances.
    touch(SmfReader.openSync(path));
    const next = new ModuleLoader({ ...LIMITS, jit: { updateSmf: false } });
    typedResult(next.load(path));
    callAll(next, c.calls, out, 'rerun');
  });
  if (c.link) {
    stage(out, 'link', () => {
      const inputs = Object.entries(c.files).map(([name, b]) => ({ file: join(dir, name), bytes: b }));
      const r = link(inputs, { output: join(dir, 'linked.smf') });
      if (!r.ok) return 'refused (diagnostics)';
      touch(SmfReader.fromBytes(r.bytes));
    });
  }
}

function driveSource(c: SourceCase, dir: string, out: StageOutcomes): void {
  for (const [name, text] of Object.entries(c.files)) writeFileSync(join(dir, name), text);
  const path = join(dir, c.main);
  const ok = stage(out, 'compile', () => {
    for (const m of new CompileSession().compileFiles([path])) writeFileSync(m.declared.source.path.replace(/\.spl$/, '.smf'), emitSmf(m));
  });
  if (!ok) return;
  stage(out, 'run', () => {
    const loader = new ModuleLoader({ ...LIMITS, jit: { updateSmf: false } });
    typedResult(loader.load(path.replace(/\.spl$/, '.smf')));
    const main = loader.resolveSymbol('main');
    typedResult(main);
    if (main.kind === 'found' || main.kind === 'jit') main.call();
    callAll(loader, (c.calls ?? []).filter((x) => x.name !== 'main'), out, 'call');
  });
}

function driveSdn(c: SdnCase, out: StageOutcomes): void {
  stage(out, 'sdn', () => {
    stringifySdn(parseSdn(c.text));
  });
  stage(out, 'note', () => {
    // What the serializer writes parses back.
    parseNoteSdn(serializeNoteSdn(parseNoteSdn(c.text)));
  });
}

export function drive(c: FuzzCase): CaseResult {
  const started = performance.now();
  const out: StageOutcomes = {};
  const dir = c.kind === 'sdn' || c.kind === 'probe' ? undefined : mkdtempSync(join(tmpdir(), 'smf-fuzz-'));
  try {
    if (c.kind === 'smf') driveSmf(c, dir!, out);
    else if (c.kind === 'source') driveSource(c, dir!, out);
    else if (c.kind === 'sdn') driveSdn(c, out);
    else throw new Error('probe cases are run by the worker itself');
    return { status: 'ok', stages: out, ms: performance.now() - started };
  } catch (e) {
    const cause = e instanceof Untyped ? e.cause : e;
    const err = cause instanceof Error ? cause : new Error(String(cause));
    return { status: 'untyped', stage: e instanceof Untyped ? e.stage : 'driver', name: err.constructor.name, message: err.message.slice(0, 2000), stack: (err.stack ?? '').slice(0, 4000) };
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}
