/** What a new logical line's indentation does to the block structure. */
export interface IndentChange {
  readonly indents: number;
  readonly dedents: number;
  /** The line dedented to a depth no enclosing block uses. */
  readonly mismatch: boolean;
}

/**
 * The stack of open indentation depths, Python style. Depths are counted in columns of
 * whitespace, so any consistent step works.
 */
export class IndentStack {
  private readonly levels: number[] = [0];

  get depth(): number {
    return this.levels.length - 1;
  }

  enter(col: number): IndentChange {
    const top = this.levels[this.levels.length - 1];
    if (col > top) {
      this.levels.push(col);
      return { indents: 1, dedents: 0, mismatch: false };
    }
    let dedents = 0;
    let mismatch = false;
    while (this.levels[this.levels.length - 1] > col) {
      if (this.levels[this.levels.length - 2] >= col) {
        this.levels.pop();
        dedents++;
      } else {
        // No open block sits at this depth. Re-level the innermost block to it instead of
        // closing it, so INDENT and DEDENT stay balanced and the parser sees a sane tree.
        this.levels[this.levels.length - 1] = col;
        mismatch = true;
      }
    }
    return { indents: 0, dedents, mismatch };
  }

  /** Closes every open block at the end of the file; returns how many. */
  closeAll(): number {
    const n = this.depth;
    this.levels.length = 1;
    return n;
  }
}
