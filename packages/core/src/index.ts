export { parseDocument, parsePlanFile, parsePlanText, type DocumentResult, type ParseOptions } from "./pipeline.js";
export { renderDocument, type DocBlock, type DocCell, type DocParagraph, type DocTable, type DocumentFormat, type DocumentMeta, type ReadDocument, type RenderedDocument } from "./document.js";
export { decode, type Decoded, type Encoding } from "./decode.js";
export { normalize, sourceSpan, toSource, toSourceEnd, type Normalized } from "./normalize.js";
export { DIAGNOSTICS, diagnostic, type DiagnosticCode } from "./diagnostics.js";
export { findDeadlines } from "./deadlines.js";
export { findTargets } from "./targets.js";
export { findUnits } from "./units.js";
export type * from "./types.js";
