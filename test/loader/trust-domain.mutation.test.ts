/**
 * Trust domains (src/loader/trust-domain.ts): each refusal with its message, the defaults merged
 * into a domain's options, calls from the host, and bridges copying values but refusing handles
 * both ways.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { LoadError } from '../../src/loader/errors.js';
import { DomainCrossingError, TrustDomain, TrustDomains } from '../../src/loader/trust-domain.js';
import { HeapHandle } from '../../src/loader/values.js';
import { thrown } from '../thrown.js';
import { compileToSmf, workspace } from './fixtures.js';

describe('TrustDomains', () => {
  it('makes named domains once each, merging host grants and options into the defaults', () => {
    const dir = workspace({ 'm.spl': 'extern fn a() -> i64\nextern fn b() -> i64\n\nfn sum() -> i64:\n    a() + b()\n' });
    compileToSmf(dir, ['m.spl']);
    const domains = new TrustDomains({ host: { a: () => 1n, b: () => 2n }, hotReload: true });
    const one = domains.create('one', { host: { b: () => 20n } });
    expect(one).toBeInstanceOf(TrustDomain);
    expect(one.name).toBe('one');
    expect(one.loader.options.hotReload).toBe(true);
    expect(one.load(join(dir, 'm.smf')).kind).toBe('loaded');
    expect(one.call('sum')).toBe(21n);
    const two = domains.create('two', { hotReload: false });
    expect(two.loader.options.hotReload).toBe(false);
    expect(two.load(join(dir, 'm.smf')).kind).toBe('loaded');
    expect(two.call('sum')).toBe(3n);
    const e = thrown(() => domains.create('one'), LoadError);
    expect(e).toMatchObject({ code: 'LOAD_DOMAIN', message: "a trust domain named 'one' already exists" });
    expect(domains.get('one')).toBe(one);
    expect(domains.get('three')).toBeUndefined();
    expect(domains.list()).toEqual([one, two]);
    // Each domain is a loader of its own.
    expect(one.loader).not.toBe(two.loader);
    expect(one.loader.runtime.memory).not.toBe(two.loader.runtime.memory);
  });
});

describe('TrustDomain', () => {
  it('calls from the host, saying which domain lacks a symbol', async () => {
    const dir = workspace({ 'm.spl': 'fn twice(x: i64) -> i64:\n    x * 2\n\nfn pick<T>(a: T, b: T) -> T:\n    b\n' });
    compileToSmf(dir, ['m.spl']);
    const d = new TrustDomain('plug');
    expect((await d.loadAsync(join(dir, 'm.smf'))).kind).toBe('loaded');
    expect(d.resolveSymbol('twice').kind).toBe('found');
    expect(d.call('twice', 4n)).toBe(8n);
    expect(d.call('pick$i64', 1n, 2n)).toBe(2n);
    const missing = thrown(() => d.call('nope'), LoadError);
    expect(missing).toMatchObject({ code: 'LOAD_UNDEFINED_SYMBOL', symbol: 'nope', message: "'nope' is not defined in trust domain 'plug'" });
    // A symbol the JIT refuses: its own error, or one made from its message.
    const bad = thrown(() => d.call('pick$i64$i64'), LoadError);
    expect(bad.message).toContain('pick');
  });

  it('bridges copy values across, and refuse handles either way, ', () => {
    const dir = workspace({
      'core.spl': 'fn add(a: i64, b: i64) -> i64:\n    a + b\n\nfn list() -> [i64]:\n    [1, 2]\n\nfn take(xs: [i64]) -> i64:\n    xs[0]\n',
      'plug.spl':
        'extern fn plus(a: i64, b: i64) -> i64\nextern fn items() -> [i64]\nextern fn first(xs: [i64]) -> i64\n\nfn go() -> i64:\n    plus(2, 3)\n\nfn grab() -> i64:\n    items()[0]\n\nfn give() -> i64:\n    first([5])\n',
    });
    compileToSmf(dir, ['core.spl', 'plug.spl']);
    const domains = new TrustDomains();
    const core = domains.create('core');
    const plug = domains.create('plug');
    expect(core.load(join(dir, 'core.smf')).kind).toBe('loaded');
    expect(plug.bridge('plus', core, 'add').bridge('items', core, 'list').bridge('first', core, 'take')).toBe(plug);
    expect(plug.load(join(dir, 'plug.smf')).kind).toBe('loaded');
    expect(plug.call('go')).toBe(5n);
    const out = thrown(() => plug.call('grab'), DomainCrossingError);
    expect(out.message).toBe("the result of bridge 'plug.items' -> 'core.list': a heap value ([i64]) cannot cross between trust domains; pass numbers, booleans or text");
    const into = thrown(() => plug.call('give'), DomainCrossingError);
    expect(into.message).toBe("argument 1 of bridge 'plug.first' -> 'core.take': a heap value ([i64]) cannot cross between trust domains; pass numbers, booleans or text");
    const h = core.call('list') as HeapHandle;
    expect(h.held).toBe(true);
    expect(new DomainCrossingError('here', '[i64]')).toMatchObject({ code: 'LOAD_DOMAIN', position: 'here', type: '[i64]' });
  });

  it('refuses a bridge into itself and one whose name is already granted', () => {
    const d = new TrustDomain('a', { host: { log: () => undefined } });
    const other = new TrustDomain('b');
    expect(thrown(() => d.bridge('x', d, 'f'), LoadError)).toMatchObject({ code: 'LOAD_DOMAIN', message: "a bridge joins two domains; 'x' would call back into 'a'" });
    expect(thrown(() => d.bridge('log', other, 'f'), LoadError)).toMatchObject({
      code: 'LOAD_DOMAIN',
      symbol: 'log',
      message: "trust domain 'a' already grants a host function 'log'",
    });
    d.bridge('y', other, 'f');
    expect(thrown(() => d.bridge('y', other, 'g'), LoadError).message).toBe("trust domain 'a' already grants a host function 'y'");
    // An inherited property is no grant: `toString` can be bridged.
    expect(d.bridge('toString', other, 'f')).toBe(d);
  });
});
