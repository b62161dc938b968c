/**
 * What `postMessage` may move instead of copy for these bytes: their memory when they own all
 * of it; nothing for a view into shared memory (Node's buffer pool), which is copied.
 */
export function transferList(...list: Array<Uint8Array | undefined>): ArrayBuffer[] {
  return list.flatMap((bytes) => {
    const buffer = bytes?.buffer;
    return buffer instanceof ArrayBuffer && bytes!.byteOffset === 0 && bytes!.byteLength === buffer.byteLength ? [buffer] : [];
  });
}
