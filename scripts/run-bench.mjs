// `npm run bench -- NAME` runs bench/dist/NAME.js; with no name it lists the benchmarks.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const available = readdirSync('bench/dist').filter((f) => f.endsWith('.js')).map((f) => f.slice(0, -3)).sort();
const [name, ...rest] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.error(`Usage: npm run bench -- NAME [options]\nBenchmarks: ${available.join(', ')}`);
  process.exit(name ? 1 : 0);
}
const result = spawnSync(process.execPath, ['--expose-gc', `bench/dist/${name}.js`, ...rest], { stdio: 'inherit' });
process.exit(result.status ?? 1);
