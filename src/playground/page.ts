/**
 * The playground page (bundled to dist/playground/app.js): the editor (CodeMirror 6) with the examples, Run, the output pane, the
 * inspector, the graphs and the histograms. Everything runs here, in the browser: the compiler,
 * the loader and the program (src/playground/engine.ts over the in-memory files).
 */
import { basicSetup, EditorView } from 'codemirror';
import { SmfReader } from '../smf/index.js';
import type { SmfReaderOptions } from '../smf/index.js';
import { files } from '../browser/platform.js';
import { instantiationGraph, instantiationGraphOfFiles, moduleGraph, noteOf } from '../graph/smf-graph.js';
import { isSimpleError } from '../errors.js';
import { bucket, graphToSvg, histogramToSvg } from '../graph/svg.js';
import type { NoteSdn } from '../sdn/index.js';
import { el } from './dom.js';
import { Playground } from './engine.js';
import type { RunOutcome } from './engine.js';
import { groupExamples } from './examples.js';
import type { Example } from './examples.js';
import { renderInspector } from './inspector.js';
import { simpleLanguage } from './simple-mode.js';

const DIR = '/playground';
/** The files were written and loaded (hash checked) by this page: drawing reads them without checking again. */
const TRUSTED: SmfReaderOptions = { verifyHash: false };
const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

const examples = groupExamples((await (await fetch('examples.json')).json()) as Record<string, string>);
const playground = new Playground({ dir: DIR });
let example: Example = examples[0];
let sources = new Map<string, string>();
let currentFile = '';
let runsInLoader = 0;
let last: RunOutcome | null = null;
let pending: ReturnType<typeof setTimeout> | undefined;

const editor = new EditorView({
  parent: $('editor'),
  extensions: [
    basicSetup,
    simpleLanguage,
    EditorView.updateListener.of((u) => {
      if (!u.docChanged) return;
      sources.set(currentFile, u.state.doc.toString());
      if ($<HTMLInputElement>('autorun').checked) {
        clearTimeout(pending);
        pending = setTimeout(run, 400);
      }
    }),
  ],
});

function showFile(name: string): void {
  currentFile = name;
  $<HTMLSelectElement>('file').value = name;
  editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: sources.get(name) ?? '' } });
}

function chooseExample(name: string): void {
  example = examples.find((e) => e.name === name) ?? examples[0];
  sources = new Map(example.files);
  const fileMenu = $<HTMLSelectElement>('file');
  fileMenu.replaceChildren(...[...sources.keys()].map((f) => el('option', { value: f }, f)));
  fileMenu.hidden = sources.size < 2;
  playground.restart();
  runsInLoader = 0;
  // Shown without running: the editor's change listener must not schedule a run for this.
  const autorun = $<HTMLInputElement>('autorun');
  const was = autorun.checked;
  autorun.checked = false;
  showFile(example.entry);
  autorun.checked = was;
}

function run(): void {
  clearTimeout(pending);
  const outcome = playground.run(`${DIR}/${example.entry}`, new Map([...sources].map(([f, t]) => [`${DIR}/${f}`, t])));
  if (outcome.fresh) runsInLoader = 0;
  if (outcome.modules.length) runsInLoader++;
  last = outcome;
  showOutput(outcome);
  if (outcome.modules.length) {
    showInspector();
    showGraphs(outcome);
  }
  showHistograms(outcome);
}

function showOutput(o: RunOutcome): void {
  const loader = playground.running;
  const reloaded = o.reloaded.map((m) => `[reloaded ${m} (version ${loader?.getModule(m)?.version ?? '?'})]`).join('\n');
  const parts: Node[] = [el('div', { class: 'status' }, el('span', { id: 'exit-code' }, `exit code ${o.exitCode}`), ` · compiled in ${o.compileMs.toFixed(1)} ms, ran in ${o.runMs.toFixed(1)} ms`)];
  if (reloaded) parts.push(el('pre', { class: 'reloaded' }, reloaded));
  if (o.stdout || o.modules.length) parts.push(el('pre', { class: 'stdout' }, o.stdout));
  if (o.trap) parts.push(el('pre', { class: 'trap' }, `trap: ${o.trap}`));
  if (o.diagnostics) parts.push(el('pre', { class: 'diagnostics' }, o.diagnostics));
  $('output').replaceChildren(...parts);
  const what = o.fresh ? 'started' : o.modules.length === 0 ? 'unchanged, the previous code kept' : `hot-reloaded ${o.reloaded.length} module(s)`;
  $('loader-status').textContent = loader ? `loader: ${what}; runs in this loader: ${runsInLoader}; modules: ${loader.loadedModules().map((m) => `${m.name} v${m.version}`).join(', ')}` : 'loader: not started';
}

function showInspector(): void {
  if (!last) return;
  const menu = $<HTMLSelectElement>('inspect-module');
  const chosen = menu.value;
  menu.replaceChildren(...last.modules.map((m) => el('option', { value: m.name }, `${m.name}.smf`)));
  const m = last.modules.find((x) => x.name === chosen) ?? last.modules[last.modules.length - 1];
  menu.value = m.name;
  $('inspector').replaceChildren(renderInspector(m.name, files.readFile(m.path)));
}

function showGraphs(o: RunOutcome): void {
  const entry = o.modules[o.modules.length - 1];
  $('module-graph').innerHTML = graphToSvg(moduleGraph(entry.path, (p) => SmfReader.openSync(p, TRUSTED)));
  const notes = o.modules.map((m) => noteOf(SmfReader.openSync(m.path, TRUSTED))).filter((n): n is NoteSdn => n !== null);
  $('instance-graph').innerHTML = graphToSvg(instantiationGraph(notes, o.keptBefore));
}

function showHistograms(o: RunOutcome): void {
  if (!o.stats) return;
  const cache = o.stats.cache.loadTimeHistogram.map((b) => ({ label: b.upToMs === Infinity ? 'more' : `<${b.upToMs}ms`, count: b.count }));
  $('cache-histogram').innerHTML = histogramToSvg(`SMF cache load times (${o.stats.cache.loads} loads, hit rate ${(o.stats.cache.hitRate * 100).toFixed(0)}%)`, cache);
  $('jit-histogram').innerHTML = histogramToSvg(`JIT instantiation times (${o.stats.jit.compiled} compiled, ${o.stats.jit.persistedLoads} kept)`, bucket(o.stats.jit.timesUs, [100, 250, 500, 1000, 2500, 5000], 'µs'));
}

const menu = $<HTMLSelectElement>('examples');
menu.replaceChildren(...examples.map((e) => el('option', { value: e.name }, e.name)));
menu.addEventListener('change', () => {
  chooseExample(menu.value);
  run();
});
$<HTMLSelectElement>('file').addEventListener('change', (e) => {
  const autorun = $<HTMLInputElement>('autorun');
  const was = autorun.checked;
  autorun.checked = false;
  showFile((e.target as HTMLSelectElement).value);
  autorun.checked = was;
});
$('run').addEventListener('click', run);
$('restart').addEventListener('click', () => {
  playground.restart();
  run();
});
$('inspect-module').addEventListener('change', showInspector);
// Any .smf from the user's disk: put into the in-memory files, checked (hash included), inspected and drawn.
$<HTMLInputElement>('open-smf').addEventListener('change', async (e) => {
  const input = e.target as HTMLInputElement;
  const file = input.files?.[0];
  if (!file) return;
  const path = `/opened/${file.name}`;
  files.writeFile(path, new Uint8Array(await file.arrayBuffer()));
  input.value = '';
  try {
    SmfReader.openSync(path);
    const name = file.name.replace(/\.smf$/, '');
    $<HTMLSelectElement>('inspect-module').replaceChildren(el('option', { value: name }, file.name));
    $('inspector').replaceChildren(renderInspector(name, files.readFile(path)));
    $('module-graph').innerHTML = graphToSvg(moduleGraph(path));
    $('instance-graph').innerHTML = graphToSvg(instantiationGraphOfFiles([path]));
    $('output').replaceChildren(el('div', { class: 'status' }, `opened ${file.name} (${file.size} bytes): see the graphs and the inspector`));
  } catch (err) {
    if (!isSimpleError(err)) throw err;
    $('output').replaceChildren(el('pre', { class: 'diagnostics' }, `error: ${err.message}`));
  }
});
chooseExample(examples[0].name);
// Since navigation start: what the bench reports as the page's load.
document.body.dataset.readyMs = performance.now().toFixed(1);
document.body.dataset.ready = 'true';
