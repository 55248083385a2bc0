/**
 * What the `smf` launcher (main.ts) reads off an `smf link` command line before it loads
 * anything else: when every argument is one the link command takes, with a valid value, the link
 * runs through its own small bundle (link-fast.ts, `dist/cli/smf-link.cjs`), which loads neither
 * the option parser nor the other commands. Anything else — help, an unknown option, a value the
 * parser would refuse — is left to the whole command line, which reports it as it always has.
 * Kept free of imports (but types), so the launcher stays small.
 */
import type { InstantiatePolicy } from '../linker/instantiate.js';

export type LinkPolicy = InstantiatePolicy;
export type LinkCompression = 'none' | 'zstd' | 'lz4';

/** The options of `smf link`, as the command line (link.ts) hands them to the link. */
export interface LinkCliOptions {
  output: string;
  instantiate: LinkPolicy;
  maxDepth?: number;
  maxInstances?: number;
  profile?: string;
  stub: boolean;
  compression: LinkCompression;
  stats?: boolean;
}

export interface FastLink {
  readonly files: string[];
  readonly options: LinkCliOptions;
}

/** The values and defaults both command lines take (link.ts registers them with the parser). */
export const LINK_POLICIES: readonly LinkPolicy[] = ['eager', 'lazy', 'hybrid'];
export const LINK_COMPRESSIONS: readonly LinkCompression[] = ['none', 'zstd', 'lz4'];
export const LINK_DEFAULTS = { output: 'a.smf', instantiate: 'hybrid', compression: 'none' } as const satisfies Partial<LinkCliOptions>;

const POLICIES: readonly string[] = LINK_POLICIES;
const COMPRESSIONS: readonly string[] = LINK_COMPRESSIONS;

/** The files and options of a plain `smf link` command line, or undefined for any other. */
export function fastLinkArgs(argv: readonly string[]): FastLink | undefined {
  if (argv[0] !== 'link') return undefined;
  const files: string[] = [];
  const options: LinkCliOptions = { ...LINK_DEFAULTS, stub: true };
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('-')) {
      files.push(arg);
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq < 0 ? arg : arg.slice(0, eq);
    if (name === '--no-stub' || name === '--stats') {
      if (eq >= 0) return undefined;
      if (name === '--stats') options.stats = true;
      else options.stub = false;
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = argv[++i];
      // The parser would take a following option as the value: leave such a line to it.
      if (value === undefined || value.startsWith('-')) return undefined;
    }
    switch (name) {
      case '-o':
      case '--output':
        options.output = value;
        break;
      case '--instantiate':
        if (!POLICIES.includes(value)) return undefined;
        options.instantiate = value as LinkPolicy;
        break;
      case '--compression':
        if (!COMPRESSIONS.includes(value)) return undefined;
        options.compression = value as LinkCompression;
        break;
      case '--max-depth':
      case '--max-instances': {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1) return undefined;
        if (name === '--max-depth') options.maxDepth = n;
        else options.maxInstances = n;
        break;
      }
      case '--profile':
        options.profile = value;
        break;
      default:
        return undefined;
    }
  }
  return files.length > 0 ? { files, options } : undefined;
}
