/** The error `f` throws, which must be a `type`; anything else (or nothing) fails the test. */
export function thrown<E extends Error>(f: () => unknown, type: abstract new (...args: never[]) => E): E {
  try {
    f();
  } catch (e) {
    if (e instanceof type) return e;
    throw e;
  }
  throw new Error(`expected a ${type.name}, but nothing was thrown`);
}
