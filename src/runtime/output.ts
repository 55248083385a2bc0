/**
 * Where `print` goes. Output is collected as bytes in a buffer and handed to the sink in large
 * chunks: text is copied straight out of linear memory without a decode/encode round trip, and
 * a program printing 100,000 lines makes a handful of writes, not 100,000.
 *
 * The buffer is flushed when it fills, on `flush()`, before a trap is thrown (so the program's
 * output precedes the error), once the current synchronous job has finished (so a long-running
 * embedder sees output promptly), and at process exit.
 */
import { natives } from '../platform/index.js';

export interface OutputSink {
  /** Receives a chunk it may keep: the buffer is not reused. */
  write(bytes: Uint8Array): void;
}

/** The process's standard output. */
export const stdoutSink: OutputSink = {
  write(bytes) {
    process.stdout.write(bytes);
  },
};

/** Collects output in memory, for tests and embedders that want the text. */
export class TextCapture implements OutputSink {
  private readonly chunks: Uint8Array[] = [];

  write(bytes: Uint8Array): void {
    this.chunks.push(bytes);
  }

  get text(): string {
    let size = 0;
    for (const c of this.chunks) size += c.length;
    const all = new Uint8Array(size);
    let at = 0;
    for (const c of this.chunks) {
      all.set(c, at);
      at += c.length;
    }
    return new TextDecoder().decode(all);
  }

  clear(): void {
    this.chunks.length = 0;
  }
}

const DEFAULT_CAPACITY = 64 * 1024;

/** Outputs holding unflushed bytes, flushed at exit. Only pending ones are held, so none leaks. */
const pending = new Set<BufferedOutput>();
let exitHookInstalled = false;

function flushAllPending(): void {
  for (const out of [...pending]) out.flush();
}

export class BufferedOutput {
  private buf: Uint8Array;
  private len = 0;
  private flushScheduled = false;

  constructor(
    readonly sink: OutputSink,
    capacity = DEFAULT_CAPACITY,
  ) {
    this.buf = new Uint8Array(capacity);
  }

  /** Bytes waiting in the buffer. */
  get pendingBytes(): number {
    return this.len;
  }

  /** Appends `src[start, end)`. */
  writeBytes(src: Uint8Array, start = 0, end = src.length): void {
    const n = end - start;
    if (this.len + n > this.buf.length) {
      this.flush();
      if (n > this.buf.length) {
        this.sink.write(src.slice(start, end));
        return;
      }
    }
    this.buf.set(src.subarray(start, end), this.len);
    this.len += n;
    this.markPending();
  }

  /** Appends a string of code points below 0x80 (number and bool text) without encoding. */
  writeAscii(s: string): void {
    if (this.len + s.length > this.buf.length) {
      this.flush();
      if (s.length > this.buf.length) {
        this.sink.write(Uint8Array.from(s, (ch) => ch.charCodeAt(0)));
        return;
      }
    }
    const buf = this.buf;
    let at = this.len;
    for (let i = 0; i < s.length; i++) buf[at++] = s.charCodeAt(i);
    this.len = at;
    this.markPending();
  }

  writeByte(b: number): void {
    if (this.len === this.buf.length) this.flush();
    this.buf[this.len++] = b;
    this.markPending();
  }

  flush(): void {
    if (this.len === 0) return;
    const chunk = this.buf.slice(0, this.len);
    this.len = 0;
    pending.delete(this);
    this.sink.write(chunk);
  }

  private markPending(): void {
    if (pending.has(this)) return;
    pending.add(this);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      // A browser has no exit to flush at; its output is flushed after each job and on demand.
      if (typeof process !== 'undefined') process.on('exit', flushAllPending);
    }
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      natives.afterJob(() => {
        this.flushScheduled = false;
        this.flush();
      }, false);
    }
  }
}
