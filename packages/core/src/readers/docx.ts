// STUB: replaced by the .docx reader.
import type { ReadDocument } from "../document.js";
import { diagnostic } from "../diagnostics.js";

export function readDocx(_bytes: Uint8Array): ReadDocument {
  return { format: "docx", blocks: [], meta: {}, diagnostics: [diagnostic("BINARY_FILE", { kind: "Word" })] };
}
