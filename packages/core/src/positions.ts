// Line and column of a source offset, for diagnostics and for the reviewer's highlight.

import type { Place } from "./types.js";

export type Locate = (start: number, end: number) => Place;

export function createLocator(source: string): Locate {
  const lineStarts = [0];
  for (let i = source.indexOf("\n"); i >= 0; i = source.indexOf("\n", i + 1)) lineStarts.push(i + 1);
  return (start, end) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] as number) <= start) lo = mid;
      else hi = mid - 1;
    }
    return { start, end, line: lo + 1, column: start - (lineStarts[lo] as number) + 1 };
  };
}
