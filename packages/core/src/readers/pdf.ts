// STUB: replaced by the .pdf reader.
import type { ReadDocument } from "../document.js";
import { diagnostic } from "../diagnostics.js";

export async function readPdf(_bytes: Uint8Array): Promise<ReadDocument> {
  return { format: "pdf", blocks: [], meta: {}, diagnostics: [diagnostic("BINARY_FILE", { kind: "PDF" })] };
}
