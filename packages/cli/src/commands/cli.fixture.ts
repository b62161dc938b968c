import { fileURLToPath } from 'node:url';

export { freePort } from '@loupe/schema';

/** The compiled `loupe` entry point, for tests that run the command as a user would. */
export const cli = fileURLToPath(new URL('../main.js', import.meta.url));

