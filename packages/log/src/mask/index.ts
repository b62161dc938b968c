export { maskText } from './mask-text.js';
export { maskRecord, setField } from './mask-record.js';
export { maskStats, type MaskStats } from './mask-stats.js';
export { maskLine, maskLines } from './mask-lines.js';
export { createFieldCipher, generateKey, isEncryptedValue, type FieldCipher, type FieldCipherOptions, type CipherKey } from './field-cipher.js';
export { MaskToken, type MaskKind } from './tokens.js';
