/** Helpers that build regex sources once, at module load. */

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/**
 * `word`, `Word` and `WORD` as one alternation. Case-sensitive alternatives keep the rest of a
 * pattern case-sensitive (a name must start with a capital letter), which `/i` would not.
 */
export function caseForms(words: readonly string[]): string {
  const forms = new Set<string>();
  for (const word of words) {
    forms.add(word);
    forms.add(word[0]!.toUpperCase() + word.slice(1));
    forms.add(word.toUpperCase());
  }
  // Longest first, so `passwd` is tried before `pass`.
  return [...forms].sort((a, b) => b.length - a.length).map(escapeRegex).join('|');
}
