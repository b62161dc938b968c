import { LoupeError } from './errors.js';

/** The longest wait a Node timer can take (about 24.8 days); longer ones fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A whole-number setting from the environment, for every program's `config.ts`: the fallback
 * when unset or empty, `CONFIG_INVALID` naming the variable when it is not a whole number
 * from min (to max, when given).
 */
export function integerSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max?: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || (max !== undefined && value > max)) {
    throw new LoupeError('CONFIG_INVALID', `${name}="${raw}" must be a whole number ${max === undefined ? `≥ ${min}` : `from ${min} to ${max}`}`);
  }
  return value;
}

/** A yes-or-no setting from the environment: `true` or `false`, the fallback when unset or empty, `CONFIG_INVALID` naming the variable otherwise. */
export function booleanSetting(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw new LoupeError('CONFIG_INVALID', `${name}="${raw}" must be true or false`);
}
