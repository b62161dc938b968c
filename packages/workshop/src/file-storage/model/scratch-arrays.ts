/**
 * Grow-only Int32Array memory kept between analyses. A fresh 10 MB typed array costs as
 * much again in page faults the first time it is written; reusing the memory of the last
 * model removes that cost from every analysis after the first.
 */
export class ScratchArrays {
  private readonly buffers = new Map<string, Int32Array>();

  /** An Int32Array of `length` for `purpose`, with stale contents unless `zeroed`. */
  int32(purpose: string, length: number, zeroed = false): Int32Array {
    let buffer = this.buffers.get(purpose);
    if (!buffer || buffer.length < length) {
      buffer = new Int32Array(length);
      this.buffers.set(purpose, buffer);
      return buffer;
    }
    const view = buffer.subarray(0, length);
    if (zeroed) view.fill(0);
    return view;
  }
}
