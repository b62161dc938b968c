import { setField } from '@loupe/log';

const MAX_DEPTH = 16;

/** A document with no nested object is already flat: the pipeline then works on it in place, with no copy. */
export function flattened(document: Record<string, unknown>): Record<string, unknown> {
  for (const key in document) {
    const value = document[key];
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return flatten(document);
  }
  return document;
}

/**
 * Nested objects to one level of dotted keys (`{log:{level:"info"}}` → `log.level`), as ECS
 * documents may arrive either way. Arrays stay values. Deeper than 16 levels is kept as JSON.
 */
export function flatten(source: Record<string, unknown>, target: Record<string, unknown> = {}, prefix = '', depth = 0): Record<string, unknown> {
  for (const key in source) {
    const value = source[key];
    const name = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      if (depth >= MAX_DEPTH) setField(target, name, JSON.stringify(value));
      else flatten(value as Record<string, unknown>, target, name, depth + 1);
    } else if (value !== undefined) {
      // A `__proto__` key from JSON stays a field rather than becoming the object's prototype.
      setField(target, name, value);
    }
  }
  return target;
}

/** Whether arrays and objects in `value` nest more than `levels` deep (looks no deeper than that). */
export function nestedDeeperThan(value: unknown, levels: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (levels === 0) return true;
  for (const item of Array.isArray(value) ? value : Object.values(value)) if (nestedDeeperThan(item, levels - 1)) return true;
  return false;
}
