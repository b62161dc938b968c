import { LoupeError } from '@loupe/schema';

/**
 * Every code the model analyser throws, all with HTTP status 422 (the upload arrived but
 * cannot be priced). Stable: a retired code is never reused.
 */
export const modelErrorCodes = {
  /** The file has no bytes, or no facets. */
  empty: 'MODEL_EMPTY',
  /** A binary file declares more facets than it holds, or an ASCII file ends inside a facet. */
  truncated: 'MODEL_TRUNCATED',
  /** A coordinate is NaN, infinite, or (ASCII) not a number at all. */
  invalidNumber: 'MODEL_INVALID_NUMBER',
  /** Every facet has zero area, so there is nothing to price. */
  degenerate: 'MODEL_DEGENERATE',
  /** Neither a binary STL (size does not fit the facet count) nor an ASCII STL. */
  unrecognised: 'MODEL_UNRECOGNISED',
  /** More facets than `maxTriangles`, or more bytes than `maxBytes`. */
  tooLarge: 'MODEL_TOO_LARGE',
  /** An ASCII file breaks the `solid / facet normal / outer loop / vertex / endloop / endfacet / endsolid` grammar. */
  parse: 'MODEL_PARSE',
} as const;

export type ModelErrorCode = (typeof modelErrorCodes)[keyof typeof modelErrorCodes];

export function modelError(code: ModelErrorCode, message: string): LoupeError {
  return new LoupeError(code, message, 422);
}
