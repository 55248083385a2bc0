/**
 * What the embedder grants modules: the functions that are the host object's own properties, by
 * name. Nothing the object inherits is granted — not `Object.prototype`'s `valueOf`,
 * `constructor`, `toString` or `__proto__` for `{ log }`, nor a prototype's methods for a class
 * instance — so an `extern fn valueOf` is a missing host function, not a way into the engine.
 */
export function grantedHostFunction<F>(host: Readonly<Record<string, F>> | undefined, name: string): F | undefined {
  if (host === undefined || !Object.hasOwn(host, name)) return undefined;
  const f = host[name];
  return typeof f === 'function' ? f : undefined;
}
