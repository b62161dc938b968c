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
