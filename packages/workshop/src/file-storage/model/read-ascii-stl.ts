import { AsciiScanner, isNotFiniteWord, keyword } from './ascii-scanner.js';
import { modelError, modelErrorCodes } from './model-errors.js';

export interface AsciiStl {
  /** Nine coordinates per facet, in double precision as written. */
  coordinates: Float64Array;
  triangles: number;
  /** How many `solid … endsolid` blocks the file holds. */
  solids: number;
  warnings: string[];
}

const words = {
  solid: keyword('solid'),
  endsolid: keyword('endsolid'),
  facet: keyword('facet'),
  normal: keyword('normal'),
  outer: keyword('outer'),
  loop: keyword('loop'),
  vertex: keyword('vertex'),
  endloop: keyword('endloop'),
  endfacet: keyword('endfacet'),
};
const keywords = new Set(Object.keys(words));
/** The shortest facet one can write (`facet normal 0 0 0 outer loop vertex 0 0 0 …`) is about 90 bytes. */
const minimumFacetBytes = 90;

/**
 * Parses one or more `solid … endsolid` blocks. Keywords may be in any case and separated by
 * any whitespace (CRLF included); numbers may use exponents. Facet normals are checked to be
 * numbers and then ignored: the analyser derives orientation from the vertex order.
 */
export function readAsciiStl(data: Uint8Array, maxTriangles: number): AsciiStl {
  return new AsciiStlReader(data, maxTriangles).read();
}

class AsciiStlReader {
  private readonly scanner: AsciiScanner;
  private coordinates: Float64Array;
  private triangles = 0;
  private solids = 0;
  private readonly warnings: string[] = [];

  constructor(data: Uint8Array, private readonly maxTriangles: number) {
    this.scanner = new AsciiScanner(data);
    const estimate = Math.min(maxTriangles, Math.ceil(data.length / minimumFacetBytes / 4)) + 16;
    this.coordinates = new Float64Array(estimate * 9);
  }

  read(): AsciiStl {
    const scanner = this.scanner;
    while (scanner.more()) {
      if (!scanner.accept(words.solid)) throw this.unexpected(this.solids === 0 ? '"solid"' : '"solid" or the end of the file');
      scanner.skipName([words.facet, words.endsolid]);
      this.solids++;
      if (!this.readFacets()) {
        this.warnings.push(`Solid ${this.solids} has no "endsolid": the file may have been cut short after facet index ${this.triangles - 1}.`);
        break;
      }
    }
    if (this.triangles === 0) throw modelError(modelErrorCodes.empty, `The ASCII STL has ${this.solids} solid(s) but no facets.`);
    return {
      coordinates: this.coordinates.subarray(0, this.triangles * 9),
      triangles: this.triangles,
      solids: this.solids,
      warnings: this.warnings,
    };
  }

  /** Reads facets up to `endsolid`; false when the file ends first. */
  private readFacets(): boolean {
    const scanner = this.scanner;
    for (;;) {
      if (!scanner.more()) return false;
      if (scanner.accept(words.endsolid)) {
        scanner.skipName([words.solid]);
        return true;
      }
      if (!scanner.accept(words.facet)) throw this.unexpected('"facet" or "endsolid"');
      this.readFacet();
    }
  }

  private readFacet(): void {
    const facet = this.triangles;
    if (facet >= this.maxTriangles) {
      throw modelError(modelErrorCodes.tooLarge, `The model has more than ${this.maxTriangles} facets (line ${this.scanner.line}); split it or raise maxTriangles.`);
    }
    if (this.coordinates.length < (facet + 1) * 9) this.growCoordinates();
    this.expect(words.normal, '"normal" after "facet"');
    const normalLine = this.scanner.line;
    for (let k = 0; k < 3; k++) this.readNormalComponent(normalLine);
    this.expect(words.outer, '"outer loop"');
    this.expect(words.loop, '"loop" after "outer"');
    for (let corner = 0; corner < 3; corner++) {
      if (!this.scanner.more()) throw this.truncated();
      if (!this.scanner.accept(words.vertex)) {
        throw this.parseError(`Facet index ${facet} has ${corner} vertices; expected "vertex" but found "${this.scanner.peekToken()}"`);
      }
      const vertexLine = this.scanner.line;
      for (let axis = 0; axis < 3; axis++) this.coordinates[facet * 9 + corner * 3 + axis] = this.readCoordinate(vertexLine);
    }
    if (!this.scanner.more()) throw this.truncated();
    if (this.scanner.accept(words.vertex)) {
      throw modelError(modelErrorCodes.parse, `Facet index ${facet} has a fourth vertex at line ${this.scanner.line}; STL facets are triangles.`);
    }
    this.expect(words.endloop, '"endloop"');
    this.expect(words.endfacet, '"endfacet"');
    this.triangles++;
  }

  private readCoordinate(vertexLine: number): number {
    const scanner = this.scanner;
    if (!scanner.more()) throw this.truncated();
    const value = scanner.readNumber();
    if (Number.isFinite(value)) return value;
    const token = scanner.peekToken();
    if (keywords.has(token.toLowerCase())) {
      throw modelError(modelErrorCodes.parse, `The vertex at line ${vertexLine} (facet index ${this.triangles}) has fewer than 3 coordinates.`);
    }
    const what = Number.isNaN(value) && !isNotFiniteWord(token) ? 'is not a number' : 'is not a finite number';
    throw modelError(modelErrorCodes.invalidNumber, `Vertex coordinate "${token}" at line ${scanner.line} (facet index ${this.triangles}) ${what}.`);
  }

  /** Normals are ignored, so `nan` (which some exporters write for degenerate facets) is accepted. */
  private readNormalComponent(normalLine: number): void {
    const scanner = this.scanner;
    if (!scanner.more()) throw this.truncated();
    const value = scanner.readNumber();
    if (Number.isFinite(value)) return;
    const token = scanner.peekToken();
    if (!Number.isNaN(value) || isNotFiniteWord(token)) return scanner.skipToken();
    if (keywords.has(token.toLowerCase())) {
      throw modelError(modelErrorCodes.parse, `The normal at line ${normalLine} (facet index ${this.triangles}) has fewer than 3 components.`);
    }
    throw modelError(modelErrorCodes.invalidNumber, `Normal component "${token}" at line ${scanner.line} (facet index ${this.triangles}) is not a number.`);
  }

  private expect(word: Uint8Array, what: string): void {
    if (!this.scanner.more()) throw this.truncated();
    if (!this.scanner.accept(word)) throw this.unexpected(what);
  }

  private growCoordinates(): void {
    const grown = new Float64Array(Math.min(this.maxTriangles, this.coordinates.length / 9 * 2) * 9);
    grown.set(this.coordinates);
    this.coordinates = grown;
  }

  private unexpected(what: string): Error {
    const found = this.scanner.peekToken();
    return this.parseError(`Expected ${what} but found ${found === '' ? 'the end of the file' : `"${found}"`}`);
  }

  private parseError(message: string): Error {
    return modelError(modelErrorCodes.parse, `${message} at line ${this.scanner.line}.`);
  }

  private truncated(): Error {
    return modelError(modelErrorCodes.truncated, `The ASCII STL ends inside facet index ${this.triangles} (line ${this.scanner.line}): the upload was cut short.`);
  }
}
