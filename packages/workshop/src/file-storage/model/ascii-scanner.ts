import { Buffer } from 'node:buffer';
/** Exact powers of ten: a mantissa below 2^53 times or divided by one of them is correctly rounded (Clinger's fast path). */
const exactPowersOfTen = Array.from({ length: 23 }, (_, e) => 10 ** e);
const maxFastDigits = 15;
/** No real coordinate needs more characters; a longer token is not a number (and is never copied). */
const maxTokenBytes = 400;
const notFiniteWords = new Set(['nan', 'inf', 'infinity', '1.#qnan', '1.#ind', '1.#inf']);

export function isBlank(byte: number): boolean {
  return byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
}

function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}

/** Lower-case ASCII codes of a keyword, compared against `byte | 0x20`. */
export function keyword(word: string): Uint8Array {
  return Uint8Array.from(word, (char) => char.charCodeAt(0));
}

/**
 * A hand-written scanner over the bytes of an ASCII STL: whitespace-separated tokens,
 * case-insensitive keywords, numbers parsed in place without building strings, and the
 * line number kept for error messages.
 */
export class AsciiScanner {
  position = 0;
  line = 1;

  /** The same bytes as a Buffer, for the few numbers the fast path cannot parse exactly. */
  private readonly text: Buffer;

  constructor(private readonly data: Uint8Array) {
    this.text = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) this.position = 3;
  }

  /** Skips whitespace and reports whether anything is left. */
  more(): boolean {
    const data = this.data;
    let i = this.position;
    while (i < data.length && isBlank(data[i]!)) {
      if (data[i] === 0x0a) this.line++;
      i++;
    }
    this.position = i;
    return i < data.length;
  }

  /** Consumes `word` if it is the next token, ignoring case. */
  accept(word: Uint8Array): boolean {
    if (!this.more()) return false;
    const data = this.data;
    const start = this.position;
    const end = start + word.length;
    if (end > data.length) return false;
    for (let k = 0; k < word.length; k++) {
      if ((data[start + k]! | 0x20) !== word[k]) return false;
    }
    if (end < data.length && !isBlank(data[end]!)) return false;
    this.position = end;
    return true;
  }

  /** The next token, for an error message; empty at the end of the file. */
  peekToken(): string {
    this.more();
    const data = this.data;
    let end = this.position;
    while (end < data.length && !isBlank(data[end]!) && end - this.position < 40) end++;
    return this.text.toString('latin1', this.position, end);
  }

  /**
   * Skips the name after `solid` or `endsolid`: the rest of the line, or up to `stop` when
   * a file puts everything on one line.
   */
  skipName(stop: readonly Uint8Array[]): void {
    const data = this.data;
    while (this.position < data.length && data[this.position] !== 0x0a) {
      while (this.position < data.length && data[this.position] !== 0x0a && isBlank(data[this.position]!)) this.position++;
      if (stop.some((word) => this.startsWith(word))) return;
      while (this.position < data.length && !isBlank(data[this.position]!)) this.position++;
    }
  }

  /**
   * Reads a decimal number such as `-1.5`, `.5`, `2.` or `6.5e-03` and steps over it. A token
   * that is not a number gives NaN, an overflow ±Infinity; either stays unread, so the caller
   * can quote it (`peekToken`) or step over it (`skipToken`).
   */
  readNumber(): number {
    const data = this.data;
    let i = this.position;
    let negative = false;
    if (data[i] === 0x2d || data[i] === 0x2b) negative = data[i++] === 0x2d;
    let mantissa = 0;
    let digits = 0;
    let sawDigit = false;
    let exponent = 0;
    for (; i < data.length && isDigit(data[i]!); i++) {
      sawDigit = true;
      mantissa = mantissa * 10 + (data[i]! - 0x30);
      if (mantissa !== 0) digits++;
    }
    if (data[i] === 0x2e) {
      for (i++; i < data.length && isDigit(data[i]!); i++) {
        sawDigit = true;
        mantissa = mantissa * 10 + (data[i]! - 0x30);
        if (mantissa !== 0) digits++;
        exponent--;
      }
    }
    if (sawDigit && (data[i] === 0x65 || data[i] === 0x45)) {
      i++;
      let exponentNegative = false;
      if (data[i] === 0x2d || data[i] === 0x2b) exponentNegative = data[i++] === 0x2d;
      if (!isDigit(data[i] ?? 0)) sawDigit = false;
      let written = 0;
      for (; i < data.length && isDigit(data[i]!); i++) written = Math.min(written * 10 + (data[i]! - 0x30), 1e6);
      exponent += exponentNegative ? -written : written;
    }
    if (!sawDigit || (i < data.length && !isBlank(data[i]!))) return NaN;
    if (digits <= maxFastDigits && exponent >= -22 && exponent <= 22) {
      this.position = i;
      const magnitude = exponent >= 0 ? mantissa * exactPowersOfTen[exponent]! : mantissa / exactPowersOfTen[-exponent]!;
      return negative ? -magnitude : magnitude;
    }
    if (i - this.position > maxTokenBytes) return NaN;
    // More than 15 digits or a large exponent: let the engine round it correctly.
    const value = Number(this.text.toString('latin1', this.position, i));
    if (Number.isFinite(value)) this.position = i;
    return value;
  }

  /** Steps over the next token, whatever it is. */
  skipToken(): void {
    this.more();
    while (this.position < this.data.length && !isBlank(this.data[this.position]!)) this.position++;
  }

  private startsWith(word: Uint8Array): boolean {
    const end = this.position + word.length;
    if (end > this.data.length || (end < this.data.length && !isBlank(this.data[end]!))) return false;
    for (let k = 0; k < word.length; k++) {
      if ((this.data[this.position + k]! | 0x20) !== word[k]) return false;
    }
    return true;
  }
}

export function isNotFiniteWord(token: string): boolean {
  return notFiniteWords.has(token.toLowerCase().replace(/^[+-]/, ''));
}
