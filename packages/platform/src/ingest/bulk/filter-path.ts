/**
 * Elasticsearch's `filter_path` response filtering: a comma-separated list of dotted field
 * paths, where `*` in a name matches any characters, `**` any number of names, and a leading
 * `-` excludes. Arrays are transparent (`items.*.status` reaches into every item of `items`),
 * and an object or array left with nothing in it is left out, as Elasticsearch writes only what
 * matched: `filter_path=items.*.error` answers a clean `_bulk` with `{}`.
 */
export interface FilterPath {
  readonly includes: readonly (readonly string[])[];
  readonly excludes: readonly (readonly string[])[];
}

/** The filter a `filter_path` parameter asks for; none for an absent or empty one. */
export function parseFilterPath(parameter: unknown): FilterPath | undefined {
  const values = Array.isArray(parameter) ? parameter : [parameter];
  const paths = values
    .filter((value): value is string => typeof value === 'string')
    .flatMap((value) => value.split(','))
    .map((path) => path.trim())
    .filter((path) => path !== '' && path !== '-');
  if (paths.length === 0) return undefined;
  const split = (path: string) => path.split('.').filter((name) => name !== '');
  return {
    includes: paths.filter((path) => !path.startsWith('-')).map(split),
    excludes: paths.filter((path) => path.startsWith('-')).map((path) => split(path.slice(1))),
  };
}

/** Positions reached in each pattern by the names read so far. */
type Positions = ReadonlyArray<readonly [pattern: readonly string[], at: number]>;

const globs = new Map<string, RegExp>();

function nameMatches(pattern: string, name: string): boolean {
  if (pattern === '*' || pattern === name) return true;
  if (!pattern.includes('*')) return false;
  let glob = globs.get(pattern);
  if (!glob) {
    glob = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
    if (globs.size < 1000) globs.set(pattern, glob);
  }
  return glob.test(name);
}

/** Where each pattern stands after one more name; `**` may take none, one or many. */
function advance(positions: Positions, name: string): Positions {
  const next: Array<readonly [readonly string[], number]> = [];
  const visit = (pattern: readonly string[], at: number) => {
    const segment = pattern[at];
    if (segment === undefined) return;
    if (segment === '**') {
      next.push([pattern, at]);
      visit(pattern, at + 1);
    } else if (nameMatches(segment, name)) next.push([pattern, at + 1]);
  };
  for (const [pattern, at] of positions) visit(pattern, at);
  return next;
}

/** Whether some pattern is complete here (a trailing `**` completes too). */
function complete(positions: Positions): boolean {
  return positions.some(([pattern, at]) => pattern.slice(at).every((segment) => segment === '**'));
}

function start(patterns: readonly (readonly string[])[]): Positions {
  return patterns.map((pattern) => [pattern, 0] as const);
}

/** The value as the filter leaves it; `undefined` when nothing of it is kept. */
function filterValue(value: unknown, includes: Positions | 'all', excludes: Positions): unknown {
  if (complete(excludes)) return undefined;
  const included = includes === 'all' || complete(includes);
  if (included && excludes.length === 0) return value;
  const within = included ? 'all' : includes;
  if (Array.isArray(value)) {
    const kept = value.map((element) => filterValue(element, within, excludes)).filter((element) => element !== undefined);
    return kept.length > 0 ? kept : undefined;
  }
  if (value !== null && typeof value === 'object') {
    const kept: Record<string, unknown> = {};
    let any = false;
    for (const [name, child] of Object.entries(value)) {
      const childIncludes = within === 'all' ? 'all' : advance(within, name);
      if (childIncludes !== 'all' && childIncludes.length === 0) continue;
      const result = filterValue(child, childIncludes, advance(excludes, name));
      if (result !== undefined) {
        kept[name] = result;
        any = true;
      }
    }
    return any ? kept : undefined;
  }
  return included ? value : undefined;
}

/** A response body as `filter_path` leaves it: what matched, or `{}`. */
export function applyFilterPath<T>(body: T, filter: FilterPath): Partial<T> {
  const includes = filter.includes.length > 0 ? start(filter.includes) : 'all';
  return (filterValue(body, includes, start(filter.excludes)) ?? {}) as Partial<T>;
}
