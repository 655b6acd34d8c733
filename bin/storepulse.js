#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm install` (the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('SP_ERR_NOT_BUILT: StorePulse is not built yet. Run `npm install` (or `npm run build`) in the project folder.\n');
  process.exit(1);
}
await import(main.href);
