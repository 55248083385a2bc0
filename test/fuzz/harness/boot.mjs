// Worker entry: registers tsx so the worker runs the TypeScript sources, then starts the loop.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./worker.ts', import.meta.url).href);
