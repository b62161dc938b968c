#!/usr/bin/env node
// The file npm links as `loupe`. It is in the repository, not in dist/: on a fresh clone
// `npm install` links bins before `prepare` builds dist/, and skips a bin whose file is missing.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('loupe: the command is not built yet: run `npm run build` at the top of the repository');
  process.exit(1);
}
await import(main.href);
