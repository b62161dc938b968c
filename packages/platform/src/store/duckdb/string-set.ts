/**
 * A set of strings for the life of one batch, for the ids and order ids a batch stages. A
 * `Set` of 5,000 strings fresh from a request body costs ~0.2 µs an entry here (each new
 * string's hash is computed by a call into the engine) and ~0.75 µs in an ingest worker;
 * this one hashes in JavaScript (FNV-1a) into a typed open-addressing table: ~0.05 µs.
 */
export class StringSet {
  private mask = 1023;
  private slots = new Int32Array(this.mask + 1);
  private readonly hashes: number[] = [];
  /** The distinct strings, in the order they were first added. */
  readonly values: string[] = [];

  /** Adds `value`; false when it was already there. */
  add(value: string): boolean {
    const hash = fnv1a(value);
    let at = hash & this.mask;
    for (let slot = this.slots[at]!; slot !== 0; slot = this.slots[at]!) {
      if (this.hashes[slot - 1] === hash && this.values[slot - 1] === value) return false;
      at = (at + 1) & this.mask;
    }
    this.values.push(value);
    this.hashes.push(hash);
    this.slots[at] = this.values.length;
    if (this.values.length * 2 > this.mask) this.grow();
    return true;
  }

  get size(): number {
    return this.values.length;
  }

  private grow(): void {
    this.mask = this.mask * 2 + 1;
    this.slots = new Int32Array(this.mask + 1);
    this.hashes.forEach((hash, i) => {
      let at = hash & this.mask;
      while (this.slots[at] !== 0) at = (at + 1) & this.mask;
      this.slots[at] = i + 1;
    });
  }
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash;
}
