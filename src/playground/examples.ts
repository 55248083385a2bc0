/**
 * The examples menu: each top-level example is a program of its own; an example in a folder is
 * that folder's files together, run from its main.spl. Examples that need host functions
 * (`extern fn`, the embedding example) are left out: the page has no host to give them.
 */
export interface Example {
  readonly name: string;
  /** File name → source, in the playground's folder. */
  readonly files: ReadonlyMap<string, string>;
  readonly entry: string;
}

export function groupExamples(all: Readonly<Record<string, string>>): Example[] {
  const out: Example[] = [];
  const folders = new Map<string, Map<string, string>>();
  for (const [path, text] of Object.entries(all)) {
    const slash = path.lastIndexOf('/');
    if (slash < 0) out.push({ name: path, files: new Map([[path, text]]), entry: path });
    else {
      const folder = path.slice(0, slash);
      if (!folders.has(folder)) folders.set(folder, new Map());
      folders.get(folder)!.set(path.slice(slash + 1), text);
    }
  }
  for (const [folder, files] of folders) {
    if (files.has('main.spl')) out.push({ name: `${folder}/main.spl`, files, entry: 'main.spl' });
  }
  const needsHost = (e: Example): boolean => [...e.files.values()].some((t) => /^\s*extern fn/m.test(t));
  const order = (e: Example): number => (e.name === 'hello.spl' ? 0 : 1);
  return out.filter((e) => !needsHost(e)).sort((a, b) => order(a) - order(b) || a.name.localeCompare(b.name));
}
