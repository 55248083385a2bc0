/** What the main thread sends a fuzz worker, and what comes back. */

export interface SymbolCall {
  /** A name `resolveSymbol` takes: `main`, `max<i64>`, … */
  name: string;
  args: unknown[];
}

/** Files of one case: the one under test and the modules beside it (imports, link inputs). */
export interface SmfCase {
  kind: 'smf';
  /** File name → bytes; `main` names the damaged one. */
  files: Record<string, Uint8Array>;
  main: string;
  /** Resolved and called after loading; also the JIT requests whose results are written back. */
  calls: SymbolCall[];
  /** Link the files together (false for an input that is already a linked program). */
  link: boolean;
}

export interface SourceCase {
  kind: 'source';
  files: Record<string, string>;
  main: string;
  /** Called after `main` (default: nothing more). */
  calls?: SymbolCall[];
}

/** SDN text parsed on its own, as note.sdn and as plain SDN. */
export interface SdnCase {
  kind: 'sdn';
  text: string;
}

/** The harness's own check: a case that spins for `spinMs` of CPU, or keeps `allocMb` of heap. */
export interface ProbeCase {
  kind: 'probe';
  spinMs?: number;
  allocMb?: number;
}

export type FuzzCase = SmfCase | SourceCase | SdnCase | ProbeCase;

/** Per stage: 'ok', or the class name of the typed error or trap it ended with. */
export type StageOutcomes = Record<string, string>;

export type CaseResult =
  | { status: 'ok'; stages: StageOutcomes; ms: number }
  | { status: 'untyped'; stage: string; name: string; message: string; stack: string }
  | { status: 'hang'; ms: number; cpuMs: number }
  | { status: 'memory'; detail: string }
  | { status: 'crash'; detail: string };

export type ToWorker = { id: number; case: FuzzCase };
export type FromWorker = { ready: true } | { id: number; result: CaseResult };
