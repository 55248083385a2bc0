/**
 * Turns lines into complete inputs: a line that opens a block (ends with `:`) or leaves a
 * bracket open goes on to the lines after it, up to a blank line or a line back at the left
 * margin (which then starts the next input). `elif`/`else` lines continue an `if`.
 */
export class InputCollector {
  private lines: string[] = [];
  private depth = 0;

  /** Whether a started input is waiting for more lines (the prompt shows it). */
  get pending(): boolean {
    return this.lines.length > 0;
  }

  /** Feeds one line; the inputs it completes (none, one, or two when a dedent ends a block). */
  push(line: string): string[] {
    if (this.lines.length === 0) return this.start(line);
    const continues = this.depth > 0 || /^\s/.test(line) || /^(elif|else)\b/.test(line);
    if (line.trim() === '' && this.depth === 0) return this.flush();
    if (continues) {
      this.add(line);
      return [];
    }
    return [...this.flush(), ...this.start(line)];
  }

  /** Ends the input being collected (end of file, or a blank line). */
  flush(): string[] {
    if (this.lines.length === 0) return [];
    const text = this.lines.join('\n');
    this.lines = [];
    this.depth = 0;
    return [text];
  }

  /** Drops what was collected (Ctrl-C at a continuation prompt). */
  clear(): void {
    this.lines = [];
    this.depth = 0;
  }

  private start(line: string): string[] {
    if (line.trim() === '') return [];
    if (line.trimStart().startsWith(':')) return [line];
    this.add(line);
    if (this.depth > 0 || opensBlock(line)) return [];
    return this.flush();
  }

  private add(line: string): void {
    this.lines.push(line);
    this.depth = Math.max(0, this.depth + bracketBalance(line));
  }
}

function opensBlock(line: string): boolean {
  return /:\s*$/.test(stripComment(line));
}

/** The line without its `#` comment (a `#` inside a string literal is kept). */
function stripComment(line: string): string {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && inString) i++;
    else if (c === '"') inString = !inString;
    else if (c === '#' && !inString) return line.slice(0, i);
  }
  return line;
}

function bracketBalance(line: string): number {
  let n = 0;
  let inString = false;
  const code = stripComment(line);
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === '\\' && inString) i++; // an escaped character, `\"` included
    else if (c === '"') inString = !inString;
    else if (!inString && '([{'.includes(c)) n++;
    else if (!inString && ')]}'.includes(c)) n--;
  }
  return n;
}
