import { readdirSync, statSync, type Dirent } from 'node:fs';
import { join, sep } from 'node:path';
import { LoupeError } from '@loupe/schema';

/** `**` descends at most this deep, so a symlink loop or a huge tree cannot stall a scan. */
const MAX_DEPTH = 16;
const MAGIC = /[*?[{]/;

function escapeRegExp(text: string): string {
  return text.replace(/[.+^$()|\\\]]/g, '\\$&');
}

/**
 * A glob as a regular expression over absolute paths: `*` and `?` stay within one path
 * segment, `**` spans any number of segments (zero included), `[abc]` is a class and
 * `{a,b}` an alternative. Node 20 has no `fs.glob`; this is the part of it the shipper needs.
 */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  let braces = 0;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '*' && pattern[i + 1] === '*') {
      const slashAfter = pattern[i + 2] === '/';
      source += slashAfter ? '(?:[^/]*/)*' : '.*';
      i += slashAfter ? 2 : 1;
    } else if (char === '*') {
      source += '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else if (char === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) throw new LoupeError('CONFIG_INVALID', `The glob "${pattern}" has a "[" without its "]"`);
      const body = pattern.slice(i + 1, close).replace(/\\/g, '\\\\');
      source += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
      i = close;
    } else if (char === '{') {
      braces++;
      source += '(?:';
    } else if (char === '}' && braces > 0) {
      braces--;
      source += ')';
    } else if (char === ',' && braces > 0) {
      source += '|';
    } else {
      source += escapeRegExp(char);
    }
  }
  if (braces > 0) throw new LoupeError('CONFIG_INVALID', `The glob "${pattern}" has a "{" without its "}"`);
  return new RegExp(`^${source}$`);
}

/** The directory a glob's matches all live under: its segments before the first one with a wildcard. */
export function globBase(pattern: string): string {
  const segments = pattern.split(sep);
  const firstMagic = segments.findIndex((segment) => MAGIC.test(segment));
  if (firstMagic === -1) return segments.slice(0, -1).join(sep) || sep;
  return segments.slice(0, firstMagic).join(sep) || sep;
}

/** A compiled glob: what it matches and where to start looking. */
export interface Glob {
  pattern: string;
  base: string;
  regExp: RegExp;
  /** A match's rotated copies: `x.log.1`, `x.log.2`, `x.log-20261121`. */
  rotatedRegExp: RegExp;
  /** Whether matches can lie below the base's direct children. */
  deep: boolean;
}

/** A file a glob finds: named by the glob itself, or only as a rotated copy of such a name. */
export interface GlobMatch {
  path: string;
  rotated: boolean;
}

export function compileGlob(pattern: string): Glob {
  const base = globBase(pattern);
  const rest = pattern.slice(base.length);
  const regExp = globToRegExp(pattern);
  return {
    pattern, base, regExp,
    rotatedRegExp: new RegExp(`${regExp.source.slice(0, -1)}(?:[.-]\\d+)+$`),
    deep: rest.includes('**') || rest.split(sep).filter(Boolean).length > 1,
  };
}

function isFile(dir: string, entry: Dirent): boolean {
  if (entry.isFile()) return true;
  if (!entry.isSymbolicLink()) return false;
  try {
    return statSync(join(dir, entry.name)).isFile();
  } catch {
    return false;
  }
}

/**
 * The regular files a glob matches now, and the rotated copies of those names (so a file
 * renamed away before it was ever seen, while the shipper was down, is still read), sorted.
 * A directory that cannot be read is skipped.
 */
export function expandGlob(glob: Glob): GlobMatch[] {
  const found: GlobMatch[] = [];
  const walk = (dir: string, depth: number) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (glob.deep && depth < MAX_DEPTH) walk(path, depth + 1);
      } else if (glob.regExp.test(path)) {
        if (isFile(dir, entry)) found.push({ path, rotated: false });
      } else if (glob.rotatedRegExp.test(path) && isFile(dir, entry)) {
        found.push({ path, rotated: true });
      }
    }
  };
  walk(glob.base, 0);
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
