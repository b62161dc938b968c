/** A span of the scanned text and what replaces it. */
export interface Replacement {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * What a rule decides about one match: a replacement, the index to resume scanning from
 * (to look again inside a rejected match), or `undefined` to keep the match as it is.
 */
export type Decision = Replacement | number | undefined;

/**
 * Runs a global `pattern` over `text` and applies what `decide` returns for each match.
 * Returns `text` itself when nothing was replaced, so a clean message allocates nothing.
 */
export function rewriteMatches(text: string, pattern: RegExp, decide: (match: RegExpExecArray, text: string) => Decision): string {
  pattern.lastIndex = 0;
  let out = '';
  let copiedUpTo = 0;
  let replaced = false;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const decision = decide(match, text);
    const matchEnd = match.index + match[0].length;
    if (typeof decision === 'number') {
      pattern.lastIndex = Math.max(decision, match.index + 1);
    } else if (decision !== undefined && decision.start >= copiedUpTo) {
      out += text.slice(copiedUpTo, decision.start) + decision.text;
      copiedUpTo = decision.end;
      replaced = true;
      pattern.lastIndex = Math.max(decision.end, match.index + 1);
    } else if (matchEnd === match.index) {
      pattern.lastIndex = match.index + 1;
    }
  }
  return replaced ? out + text.slice(copiedUpTo) : text;
}
