/** The loader's error classes (src/loader/errors.ts): messages with and without a place. */
import { describe, expect, it } from 'vitest';
import { InstantiationCycleError, LoadError } from '../../src/loader/errors.js';
import { SimpleError } from '../../src/errors.js';

describe('loader errors', () => {
  it('put the file, or the call site, before the message when there is one', () => {
    const withFile = new LoadError('LOAD_LIMIT', 'too big', 'a.smf', 'f');
    expect(withFile).toBeInstanceOf(SimpleError);
    expect(withFile).toMatchObject({ code: 'LOAD_LIMIT', message: 'a.smf: too big', file: 'a.smf', symbol: 'f' });
    expect(new LoadError('LOAD_LIMIT', 'too big')).toMatchObject({ message: 'too big', file: undefined, symbol: undefined });
    const at = new InstantiationCycleError('grow->grow', 'it goes round', 'g.spl:3:5', 'grow$i64');
    expect(at).toMatchObject({ code: 'E0420', message: 'g.spl:3:5: it goes round', cyclePath: 'grow->grow', detail: 'it goes round', at: 'g.spl:3:5', symbol: 'grow$i64' });
    expect(new InstantiationCycleError('a->a', 'round', undefined, 'a$i64').message).toBe('round');
  });
});
