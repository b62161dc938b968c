const NEWLINE = 10;

/**
 * A `_bulk` body of action and document line pairs cut in two at the pair in its middle, for
 * a platform that refuses the whole body as too large (413); undefined when it holds one
 * event or fewer and cannot be cut.
 */
export function halvesOf(body: Buffer): [Buffer, Buffer] | undefined {
  let lines = 0;
  for (let at = body.indexOf(NEWLINE); at !== -1; at = body.indexOf(NEWLINE, at + 1)) lines++;
  const events = Math.floor(lines / 2);
  if (events < 2) return undefined;
  // Just past the newline that ends the document of event number floor(events / 2).
  const linesBefore = 2 * Math.floor(events / 2);
  let at = -1;
  for (let seen = 0; seen < linesBefore; seen++) at = body.indexOf(NEWLINE, at + 1);
  return [body.subarray(0, at + 1), body.subarray(at + 1)];
}

