/**
 * `node --import simple-smf/register app.mjs`: installs the module hooks (hooks.ts) that let
 * a Node program `import { max } from './lib.spl'` (or `.smf`). See docs/embedding.md.
 */
import { register } from 'node:module';

register('./hooks.js', import.meta.url);
