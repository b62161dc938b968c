/** A count as people read it: 12,345. */
export const count = (n: number): string => n.toLocaleString('en');
