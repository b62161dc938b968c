/** What a masked value is replaced with, by kind. Tokens never contain anything a rule matches. */
export const MaskToken = {
  email: '[EMAIL]',
  phone: '[PHONE]',
  card: '[CARD]',
  passport: '[PASSPORT]',
  inn: '[INN]',
  snils: '[SNILS]',
  jwt: '[JWT]',
  token: '[TOKEN]',
  secret: '[SECRET]',
  address: '[ADDRESS]',
  name: '[NAME]',
  redacted: '[REDACTED]',
} as const;

export type MaskKind = keyof typeof MaskToken;

const allTokens: ReadonlySet<string> = new Set(Object.values(MaskToken));

/** True when `value` is already a mask token, so masking twice changes nothing. */
export function isMaskToken(value: string): boolean {
  return value.length <= 10 && value.charCodeAt(0) === 0x5b && allTokens.has(value);
}

/** True when a mask token starts at `index` of `text` (`password=[SECRET]&…` was masked already). */
export function maskTokenAt(text: string, index: number): boolean {
  if (text.charCodeAt(index) !== 0x5b) return false;
  const end = text.indexOf(']', index);
  return end !== -1 && end - index < 10 && allTokens.has(text.slice(index, end + 1));
}
