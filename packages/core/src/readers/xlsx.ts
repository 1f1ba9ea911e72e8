// STUB: replaced by the .xlsx reader.
import type { ReadDocument } from "../document.js";
import { diagnostic } from "../diagnostics.js";

export function readXlsx(_bytes: Uint8Array): ReadDocument {
  return { format: "xlsx", blocks: [], meta: {}, diagnostics: [diagnostic("BINARY_FILE", { kind: "Excel" })] };
}
