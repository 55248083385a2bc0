/**
 * CompilerContext — the report's CompilerFFI as a TypeScript API with the same roles: infer a
 * template's type arguments from usage hints, instantiate a template with concrete type
 * arguments into WebAssembly, and check types. The linker and the loader call this same API,
 * so a template instantiated at link time and one instantiated at load time go through the
 * same checker and lowering as the compiler's own instances.
 */
import { engineLimitViolations } from './wasm/limits.js';
import { DiagnosticBag } from './diagnostics.js';
import type { Diagnostic } from './diagnostics.js';
import { checkFunction } from './check/checker.js';
import type { CallSite } from './check/checker.js';
import type { InstanceUse } from './driver/compile-module.js';
import { MAX_INSTANCE_TYPE_NODES, typeNodes } from './driver/compile-module.js';
import type { IrFunction } from './ir.js';
import { lowerUnit } from './lower/unit.js';
import { ModuleBuilder } from './wasm/index.js';
import type { LoweredUnit } from './lower/unit.js';
import { allTypeParams } from './program.js';
import type { FnDef, ProgramEnv } from './program.js';
import { SimpleError } from '../errors.js';
import { inferTypeArgs, isConcrete, mangle, readableInstanceName, typeToString } from '../types/index.js';
import type { InferTypeArgsResult, Type, TypeArgHint } from '../types/index.js';

/** An instantiation that failed: names the template, its type arguments and where inside it. */
export class InstantiationError extends SimpleError {
  readonly code = 'INSTANTIATION_FAILED';
  constructor(
    readonly template: string,
    readonly typeArgs: readonly Type[],
    readonly diagnostics: readonly Diagnostic[],
    detail: string,
  ) {
    super(`cannot instantiate '${readableInstanceName(template, typeArgs)}': ${detail}`);
  }
}

export interface Instance {
  readonly symbol: string;
  readonly ir: IrFunction;
  /** One WebAssembly module defining (and exporting) just this instance. */
  readonly unit: LoweredUnit;
  /** The functions the instance calls, other than itself: plain functions and further instances. */
  readonly requires: readonly InstanceUse[];
}

export type InstantiateResult = { readonly ok: true; readonly instance: Instance } | { readonly ok: false; readonly error: InstantiationError };

export interface InstantiateOptions {
  /** Keep the relocations, so the instance can be merged by the linker (default true). */
  readonly relocatable?: boolean;
  /**
   * Export the instance as `INSTANCE_EXPORT` and name it after its template, so instances with
   * the same code are the same bytes (see lowerUnit). For code that is loaded, not linked.
   */
  readonly canonicalNames?: boolean;
}

export class CompilerContext {
  /** Reused across instantiations: the builder keeps its buffers. */
  private readonly builder = new ModuleBuilder();

  constructor(readonly env: ProgramEnv) {}

  /** Infers a template's type arguments from hints about its parameters' and result's types. */
  inferTypes(template: FnDef, hints: readonly TypeArgHint[]): InferTypeArgsResult {
    return inferTypeArgs([...allTypeParams(template)], [...hints]);
  }

  /** Checks an instance without producing code; returns its diagnostics (empty when it type-checks). */
  checkTypes(template: FnDef, typeArgs: readonly Type[]): readonly Diagnostic[] {
    const bag = new DiagnosticBag();
    this.check(template, typeArgs, bag, []);
    return bag.diagnostics;
  }

  /** Instantiates `template` at `typeArgs` into a WebAssembly unit. */
  instantiate(template: FnDef, typeArgs: readonly Type[], options: InstantiateOptions = {}): InstantiateResult {
    const params = allTypeParams(template);
    const fail = (detail: string, diagnostics: readonly Diagnostic[] = []): InstantiateResult => ({
      ok: false,
      error: new InstantiationError(template.symbol, typeArgs, diagnostics, detail),
    });
    if (params.length !== typeArgs.length) {
      return fail(`type argument count mismatch: '${template.symbol}' takes ${params.length}, given ${typeArgs.length}`);
    }
    const bad = typeArgs.find((t) => !isConcrete(t));
    if (bad) return fail(`type argument '${typeToString(bad)}' is not a concrete type`);
    // A cycle like `f<T>` calling `f<Pair<T, T>>` doubles its arguments per step: stop it
    // before their names outgrow memory, long before the JIT's depth limit.
    if (typeNodes(typeArgs, MAX_INSTANCE_TYPE_NODES) > MAX_INSTANCE_TYPE_NODES) {
      return fail(`instantiation cycle (E0420): its type arguments grew past ${MAX_INSTANCE_TYPE_NODES} type nodes`);
    }
    if (template.isExtern) return fail(`'${template.symbol}' is an extern fn and has no body`);
    let body;
    try {
      body = template.body;
    } catch (e) {
      return fail(e instanceof Error ? e.message : String(e));
    }
    if (!body) return fail(`no template body is available for '${template.symbol}'`);

    const bag = new DiagnosticBag();
    const requires: InstanceUse[] = [];
    let ir: IrFunction | null;
    try {
      ir = this.check(template, typeArgs, bag, requires);
    } catch (e) {
      // A template from an SMF file is untrusted input: a malformed tree must not escape as a crash.
      if (e instanceof SimpleError) return fail(e.message);
      return fail(`the template is malformed (${e instanceof Error ? e.message : String(e)})`);
    }
    if (!ir) {
      const first = bag.diagnostics.find((d) => d.severity === 'error');
      const where = first && typeof first.file !== 'string' && first.span ? locationOf(first) : '';
      return fail(`${where}${first?.message ?? 'it does not type-check'}`, bag.diagnostics);
    }
    const unit = lowerUnit({
      name: ir.symbol,
      functions: [ir],
      externs: [],
      structs: this.env,
      builder: this.builder,
      relocatable: options.relocatable,
      canonicalNames: options.canonicalNames ? { template: template.symbol } : undefined,
    });
    const overLimit = engineLimitViolations(unit.wasm)[0];
    if (overLimit) return fail(`'${ir.displayName}' cannot be compiled: ${overLimit.message}`);
    return { ok: true, instance: { symbol: ir.symbol, ir, unit, requires } };
  }

  private check(template: FnDef, typeArgs: readonly Type[], bag: DiagnosticBag, requires: InstanceUse[]): IrFunction | null {
    const self = mangle(template.symbol, typeArgs);
    const seen = new Set<string>([self]);
    return checkFunction(
      template,
      typeArgs,
      {
        structs: this.env,
        instance: (fn: FnDef, args: readonly Type[], site: CallSite): string => {
          const symbol = mangle(fn.symbol, args);
          if (!seen.has(symbol)) {
            seen.add(symbol);
            requires.push({ fn, typeArgs: args, symbol, site });
          }
          return symbol;
        },
      },
      bag,
    );
  }
}

function locationOf(d: Diagnostic): string {
  if (typeof d.file === 'string' || !d.span) return '';
  const { line, col } = d.file.lineCol(d.span.start);
  return `${d.file.path}:${line}:${col}: `;
}


