// STUB: replaced by the .csv reader.
import type { ReadDocument } from "../document.js";

/** The text is a comma- or tab-separated table (the file name ends .csv/.tsv, or its lines say so). */
export function looksLikeCsv(_text: string, fileName: string): boolean {
  return /\.(?:csv|tsv)$/i.test(fileName);
}

export function readCsv(_text: string): ReadDocument {
  return { format: "csv", blocks: [], meta: {}, diagnostics: [] };
}
