/**
 * The limits on instantiation chains and their messages, shared by the compiler, the linker and
 * the loader's JIT — in a file of their own so that the loader has them without the compiler.
 */
import { childTypes } from '../../types/index.js';
import type { Type } from '../../types/index.js';

/**
 * The most type nodes an instance's type arguments may have. An instantiation cycle like
 * `f<T>` calling `f<Pair<T, T>>` doubles its arguments at every step, so their printed names
 * grow past any string long before the depth limit is reached; this stops such a cycle early.
 */
export const MAX_INSTANCE_TYPE_NODES = 2000;

/** Type nodes in `types`, counted up to `limit` (shared subtrees count every time they occur). */
export function typeNodes(types: readonly Type[], limit: number): number {
  let n = 0;
  const stack = [...types];
  while (stack.length > 0 && n <= limit) {
    const t = stack.pop()!;
    n++;
    stack.push(...childTypes(t));
  }
  return n;
}

/** A chain of instance names as errors show it: a short one whole; the first three and the last of a long one. */
export function chainText(names: readonly string[]): string {
  return (names.length > 4 ? [...names.slice(0, 3), '…', names[names.length - 1]] : names).join(' -> ');
}

/** E0420 for a chain that went past the depth limit without any template instantiating itself. */
export function tooDeepMessage(names: readonly string[], why: string): string {
  // One instance alone (its own type arguments over the limit) is no chain.
  if (names.length === 1) return `instantiation too large (E0420): ${names[0]} (${why})`;
  return `instantiation too deep (E0420): a chain of ${names.length} instances of different templates, each required by the one before; none instantiates itself: ${chainText(names)} (${why})`;
}

/**
 * E0422: `what` (the module, or the link) needs more than `limit` instances; `template` has
 * `count` of them; `chain` is how the one over the limit was reached.
 */
export function tooManyInstancesMessage(what: string, limit: number, template: string, count: number, chain: readonly string[], recursive: boolean): string {
  return (
    // With a limit of 0 nothing was compiled before the refused instance: no template to name.
    `too many instances (E0422): ${what} needs more than ${limit} instances of templates${count > 0 ? `; '${template}' has ${count} of them` : ''}. ` +
    `The one over the limit is required through ${chainText(chain)} (depth ${chain.length})` +
    (recursive ? ': a template that instantiates itself with more than one new type argument list per level doubles its instances at every level' : '')
  );
}
