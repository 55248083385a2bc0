/** The REPL's `:` commands (docs/repl.md). */
import { basename, resolve } from 'node:path';
import { readRegularFileSync, MAX_SOURCE_FILE_SIZE } from '../read-file.js';
import { JIT_OWNER } from '../loader/symbol-table.js';
import { isMangledForm, normalizeSymbolName, readableName, substituteParams, typeToString } from '../types/index.js';
import type { Type } from '../types/index.js';
import { allTypeParams } from '../compiler/program.js';
import { SimpleError } from '../errors.js';
import type { ReplSession } from './session.js';

export class ReplCommandError extends SimpleError {
  readonly code = 'REPL_COMMAND';
}

const HELP = `commands:
  :type EXPR     the type of an expression, without running it
  :inspect NAME  a binding, a struct, or a function's symbol, table slot and where its code came from
  :stats         the loader's statistics
  :load FILE     add a .spl file's definitions (or a .smf module's exports) to the session
  :reset         forget every definition and binding
  :quit          leave (also Ctrl-D)
`;

/** Runs a command line; false for `:quit`. */
export function runCommand(s: ReplSession, line: string, label: string): boolean {
  const [, name, rest = ''] = /^:(\S*)\s*([\s\S]*)$/.exec(line)!;
  const arg = rest.trim();
  switch (name) {
    case 'q':
    case 'quit':
    case 'exit':
      return false;
    case 'help':
    case '?':
      s.io.out(HELP);
      return true;
    case 't':
    case 'type': {
      const t = s.typeOf(need(arg, ':type EXPR'), label);
      s.io.out(`${arg} : ${t ? typeToString(t) : '()'}\n`);
      return true;
    }
    case 'inspect':
    case 'i':
      s.io.out(inspect(s, need(arg, ':inspect NAME')));
      return true;
    case 'stats':
      s.io.out(stats(s));
      return true;
    case 'load':
    case 'l':
      load(s, need(arg, ':load FILE'), label);
      return true;
    case 'reset':
      s.reset();
      s.io.out('session reset\n');
      return true;
    default:
      throw new ReplCommandError(`unknown command ':${name}' (:help lists them)`);
  }
}

function need(arg: string, usage: string): string {
  if (!arg) throw new ReplCommandError(`usage: ${usage}`);
  return arg;
}

function inspect(s: ReplSession, name: string): string {
  const b = s.bindings.find((x) => x.name === name);
  if (b) return `${name} : ${typeToString(b.type)}\n  binding (${b.mutable ? 'var' : 'val'}), kept by the session between inputs\n`;
  const loader = s.loader;
  const struct = loader.env.struct(name);
  if (struct) {
    const params = struct.typeParams.length ? `<${struct.typeParams.join(', ')}>` : '';
    return [`struct ${name}${params} (module '${struct.module}')`, ...struct.fields.map((f) => `  ${f.name}: ${typeToString(f.type)}`), ''].join('\n');
  }
  const symbol = isMangledForm(name) ? name : normalizeSymbolName(name);
  const sym = loader.symbols.lookup(symbol);
  const fn = loader.env.fn(symbol);
  if (!sym) {
    if (fn && (fn.typeParams.length > 0 || (fn.owner?.typeParams.length ?? 0) > 0)) {
      return `${name}: generic template of module '${fn.module}'\n  no code of its own: each instance (e.g. ${name}<i64>) is compiled or JIT-instantiated when first used\n`;
    }
    throw new ReplCommandError(`'${name}' is not a binding, a struct or a loaded function`);
  }
  const origin =
    sym.owner === JIT_OWNER
      ? loader.jit.wasPersisted(sym.name)
        ? "kept from an earlier run (the jit_cache of the module that needs it)"
        : 'JIT: instantiated by the loader at load time'
      : `compiled, module '${sym.owner}'`;
  const f = sym.fn;
  const map = new Map(f ? allTypeParams(f).map((p, i): [string, Type] => [p, sym.typeArgs[i]]) : []);
  const show = (t: Type): string => typeToString(substituteParams(t, map));
  const sig = f ? `(${f.params.map((p) => `${p.name}: ${show(p.type)}`).join(', ')}) -> ${show(f.ret)}` : '';
  return [
    `${readableName(sym.name)}${sig ? ' ' + sig : ''}`,
    `  symbol   ${sym.name}`,
    `  slot     ${sym.slot}`,
    `  version  ${sym.version}${sym.version > 1 ? ' (hot-swapped)' : ''}`,
    `  code     ${origin}`,
    '',
  ].join('\n');
}

function stats(s: ReplSession): string {
  const st = s.loader.stats();
  return [
    `modules loaded      ${st.modules}`,
    `symbols             ${st.symbols}`,
    `table slots in use  ${st.slotsInUse}`,
    `jit compiled        ${st.jit.compiled} (cache hits ${st.jit.cacheHits}, from earlier runs ${st.jit.persistedLoads}, failures ${st.jit.failures})`,
    `heap in use         ${st.memory.bytesInUse} bytes (${st.memory.gc.collections} collections)`,
    `definitions         ${s.defs.size}`,
    `bindings            ${s.bindings.length}`,
    '',
  ].join('\n');
}

/** A .spl file's definitions join the session's; a .smf module is imported whole (`use m.*`). */
function load(s: ReplSession, file: string, label: string): void {
  const path = resolve(s.dir, file);
  s.addModulePath(path);
  if (path.endsWith('.smf')) {
    const name = basename(path, '.smf');
    const r = s.loader.load(path);
    if (r.kind === 'error') throw r.error;
    s.define(`use ${name}.*`, label, true);
    s.io.out(`loaded module ${name} (${path})\n`);
    return;
  }
  const text = new TextDecoder().decode(readRegularFileSync(path, MAX_SOURCE_FILE_SIZE));
  s.define(text, file);
}
