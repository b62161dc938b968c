import { DuckDbStore, parseKql } from './dist/index.js';
const store = await DuckDbStore.open({ path: '/tmp/benchsearch/loupe.duckdb', tmpDir: '/tmp/benchsearch/tmp' });
const lastDay = Date.UTC(2026, 9, 23) + 29 * 86_400_000;
const r = { from: lastDay, to: lastDay + 86_400_000 };
const t = async (name, fn) => { await fn(); const s = performance.now(); for (let i = 0; i < 5; i++) await fn(); console.log(name, ((performance.now() - s) / 5).toFixed(0), 'ms'); };
await t('fields', () => store.fields({ query: parseKql('*'), ...r }));
await t('search 5000', () => store.search({ query: parseKql('*'), ...r, limit: 5000 }));
await t('search 100', () => store.search({ query: parseKql('*'), ...r, limit: 100 }));
await store.close();
