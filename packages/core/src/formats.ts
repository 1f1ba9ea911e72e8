// Which reader a file needs, told from its content (the name only breaks a tie between text and
// CSV). A .docx renamed .txt is still read as Word; a PDF sent as "计划.doc" is still a PDF.

import type { DocumentFormat } from "./document.js";
import { diagnostic } from "./diagnostics.js";
import { compoundRootNames } from "./readers/compound.js";
import { readZip } from "./readers/zip.js";
import type { Diagnostic } from "./types.js";

export type Sniffed = { format: DocumentFormat } | { format: null; diagnostic: Diagnostic };

const starts = (bytes: Uint8Array, sig: readonly number[]) => sig.every((b, i) => bytes[i] === b);

/** Tells the format of a file's bytes. Text formats (text, html, csv) are told apart after decoding. */
export function sniffBinary(bytes: Uint8Array): Sniffed | null {
  if (starts(bytes, [0x25, 0x50, 0x44, 0x46])) return { format: "pdf" };
  if (starts(bytes, [0x50, 0x4b, 0x03, 0x04]) || starts(bytes, [0x50, 0x4b, 0x05, 0x06])) return sniffZip(bytes);
  if (starts(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return sniffCompound(bytes);
  return null;
}

function sniffZip(bytes: Uint8Array): Sniffed {
  const zip = readZip(bytes, { want: () => false, maxEntry: 0, maxTotal: 0, kind: zipKind(bytes) });
  if (!zip.ok) return { format: null, diagnostic: zip.diagnostic };
  if (zip.names.includes("word/document.xml")) return { format: "docx" };
  if (zip.names.includes("xl/workbook.xml")) return { format: "xlsx" };
  if (zip.names.some((n) => n.startsWith("ppt/"))) return { format: null, diagnostic: diagnostic("BINARY_FILE", { kind: "PowerPoint 演示文稿" }) };
  return { format: null, diagnostic: diagnostic("BINARY_FILE", { kind: "ZIP 压缩包" }) };
}

/** What a zip holds, told from the part names its local headers carry (for a damaged file's message). */
function zipKind(bytes: Uint8Array): string {
  if (includesAscii(bytes, "word/")) return "Word 文档";
  if (includesAscii(bytes, "xl/")) return "Excel 表格";
  return "ZIP/Office 文档";
}

/** An OLE compound file: an old .doc/.xls, or a password-protected .docx/.xlsx (which Office wraps in one). */
function sniffCompound(bytes: Uint8Array): Sniffed {
  const names = compoundRootNames(bytes);
  const refuse = (d: Diagnostic): Sniffed => ({ format: null, diagnostic: d });
  if (!names) return refuse(diagnostic("FILE_CORRUPT", { kind: "Office 文档" }));
  if (names.includes("EncryptedPackage")) return refuse(diagnostic("FILE_ENCRYPTED"));
  if (names.includes("Workbook") || names.includes("Book")) return refuse(diagnostic("OLD_OFFICE_FORMAT", { kind: ".xls" }));
  if (names.includes("PowerPoint Document")) return refuse(diagnostic("BINARY_FILE", { kind: "PowerPoint 演示文稿" }));
  return refuse(diagnostic("OLD_OFFICE_FORMAT", { kind: ".doc" }));
}

function includesAscii(bytes: Uint8Array, word: string): boolean {
  return includesBytes(bytes, Array.from(word, (c) => c.charCodeAt(0)));
}

function includesBytes(bytes: Uint8Array, needle: readonly number[]): boolean {
  const first = needle[0] as number;
  for (let i = bytes.indexOf(first); i >= 0 && i <= bytes.length - needle.length; i = bytes.indexOf(first, i + 1)) {
    if (needle.every((b, j) => bytes[i + j] === b)) return true;
  }
  return false;
}

/** A decoded text is an HTML page when it opens with markup. */
export function looksLikeHtml(text: string): boolean {
  const head = text.slice(0, 2048).trimStart().toLowerCase();
  if (!head.startsWith("<")) return false;
  return /^<(?:!doctype\s+html|html|head|body|meta|div|table|p|title)\b/.test(head) || /<(?:html|body)\b/.test(head);
}
