// STUB: replaced by the .html reader.
import type { ReadDocument } from "../document.js";

export function readHtml(text: string): ReadDocument {
  return { format: "html", blocks: [{ kind: "paragraph", text: text.replace(/<[^>]*>/g, " ") }], meta: {}, diagnostics: [] };
}
