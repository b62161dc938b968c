import { modelError, modelErrorCodes } from './model-errors.js';

/** How the bytes of an STL file are laid out, decided before anything is allocated. */
export type StlLayout =
  | { encoding: 'binary'; triangles: number; trailingBytes: number; countInferred: boolean }
  | { encoding: 'ascii' };

export const binaryHeaderBytes = 80;
export const binaryPrefixBytes = 84;
export const binaryFacetBytes = 50;
/** How far into the file we look for control characters before calling it text. */
const textSampleBytes = 4096;
/** How many facets of a short binary file we inspect before calling it truncated. */
const plausibleFacetSample = 8;

/**
 * Decides binary or ASCII from the file size and the declared facet count, never from
 * the first word: binary headers often start with `solid`. An ASCII file cannot pass the
 * size test by accident: its bytes 80–83 are text (≥ 0x09 each), so they would declare at
 * least 151 million facets, 7.5 GB.
 */
export function detectStlLayout(data: Uint8Array): StlLayout {
  if (data.length === 0) throw modelError(modelErrorCodes.empty, 'The file is empty (0 bytes).');
  const declared = data.length >= binaryPrefixBytes ? declaredFacetCount(data) : -1;
  if (declared >= 0) {
    const expectedBytes = binaryPrefixBytes + binaryFacetBytes * declared;
    if (expectedBytes <= data.length) return binaryLayout(data.length, declared);
  }
  const start = skipBlankPrefix(data);
  if (start === data.length) throw modelError(modelErrorCodes.empty, `The file holds only whitespace (${data.length} bytes).`);
  const text = looksLikeText(data);
  if (text && startsWithSolid(data, start)) return { encoding: 'ascii' };
  if (declared >= 0 && !text && holdsPlausibleFacets(data, declared)) {
    const expectedBytes = binaryPrefixBytes + binaryFacetBytes * declared;
    throw modelError(
      modelErrorCodes.truncated,
      `Binary STL declares ${declared} facets (${expectedBytes} bytes) but the file has only ${data.length} bytes ` +
        `(${Math.floor((data.length - binaryPrefixBytes) / binaryFacetBytes)} complete facets): the upload was cut short or the header is wrong.`,
    );
  }
  if (text) {
    const firstWord = latin1(data.subarray(start, Math.min(data.length, start + 24))).split(/\s/)[0];
    throw modelError(modelErrorCodes.unrecognised, `The file is text but not an ASCII STL: it starts with "${firstWord}" instead of "solid".`);
  }
  throw modelError(
    modelErrorCodes.unrecognised,
    `The file (${data.length} bytes) is neither a binary STL (its size does not fit 84 + 50 × the declared facet count) nor an ASCII STL.`,
  );
}

function declaredFacetCount(data: Uint8Array): number {
  return new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(binaryHeaderBytes, true);
}

function binaryLayout(size: number, declared: number): StlLayout {
  const afterHeader = size - binaryPrefixBytes;
  // Some exporters write the facets but leave the count at 0; the size tells us how many there are.
  if (declared === 0 && afterHeader > 0 && afterHeader % binaryFacetBytes === 0) {
    return { encoding: 'binary', triangles: afterHeader / binaryFacetBytes, trailingBytes: 0, countInferred: true };
  }
  return { encoding: 'binary', triangles: declared, trailingBytes: afterHeader - binaryFacetBytes * declared, countInferred: false };
}

function isBlank(byte: number): boolean {
  return byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
}

function skipBlankPrefix(data: Uint8Array): number {
  let i = data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? 3 : 0;
  while (i < data.length && isBlank(data[i]!)) i++;
  return i;
}

/** Text has no control characters other than whitespace; bytes ≥ 0x80 may be UTF-8 in a solid's name. */
function looksLikeText(data: Uint8Array): boolean {
  const end = Math.min(data.length, textSampleBytes);
  for (let i = 0; i < end; i++) {
    const byte = data[i]!;
    if ((byte < 0x20 && !isBlank(byte)) || byte === 0x7f) return false;
  }
  return true;
}

function startsWithSolid(data: Uint8Array, start: number): boolean {
  const keyword = 'solid';
  for (let k = 0; k < keyword.length; k++) {
    if (((data[start + k] ?? 0) | 0x20) !== keyword.charCodeAt(k)) return false;
  }
  const next = data[start + keyword.length];
  return next === undefined || isBlank(next);
}

/**
 * Whether the complete facets a short binary file does hold look like real geometry: random
 * bytes read as float32 mostly have wild exponents, real coordinates are 0 or within 1e-20…1e12.
 */
function holdsPlausibleFacets(data: Uint8Array, declared: number): boolean {
  if (declared === 0) return false;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const complete = Math.min(declared, plausibleFacetSample, Math.floor((data.length - binaryPrefixBytes) / binaryFacetBytes));
  for (let facet = 0; facet < complete; facet++) {
    const first = binaryPrefixBytes + facet * binaryFacetBytes + 12;
    for (let k = 0; k < 9; k++) {
      const magnitude = Math.abs(view.getFloat32(first + 4 * k, true));
      if (magnitude !== 0 && !(magnitude >= 1e-20 && magnitude <= 1e12)) return false;
    }
  }
  return true;
}

function latin1(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}
