/**
 * Grow-only Int32Array memory kept between analyses. A fresh 10 MB typed array costs as
 * much again in page faults the first time it is written; reusing the memory of the last
 * model removes that cost from every analysis after the first.
 */
export class ScratchArrays {
  private readonly buffers = new Map<string, Int32Array>();

  /**
   * An Int32Array of `length` for `purpose`, with stale contents unless `zeroed`; in a
   * SharedArrayBuffer if `shared`, for the helper thread (helper-thread.ts) to use too. Memory
   * that was once shared stays so. Only when asked: `fill` on shared memory runs about three
   * times slower (it stores element by element, for other threads' sake).
   */
  int32(purpose: string, length: number, zeroed = false, shared = false): Int32Array {
    let buffer = this.buffers.get(purpose);
    if (!buffer || buffer.length < length || (shared && !(buffer.buffer instanceof SharedArrayBuffer))) {
      buffer = shared ? new Int32Array(new SharedArrayBuffer(length * Int32Array.BYTES_PER_ELEMENT)) : new Int32Array(length);
      this.buffers.set(purpose, buffer);
      return buffer;
    }
    const view = buffer.subarray(0, length);
    if (zeroed) view.fill(0);
    return view;
  }

  /** Lets go of the memory for `purpose`: a helper thread that stopped responding may still write to it. */
  forget(purpose: string): void {
    this.buffers.delete(purpose);
  }
}
