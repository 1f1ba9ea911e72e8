// Stage 1: bytes → text. Encodings are detected, never assumed: a BOM first, then strict UTF-8,
// then UTF-16 without BOM (its zero bytes give it away), then GB18030 (a superset of GBK/GB2312).

import iconv from "iconv-lite";
import { diagnostic } from "./diagnostics.js";
import type { Diagnostic } from "./types.js";

export type Encoding = "utf-8" | "utf-16le" | "utf-16be" | "gb18030";

export interface Decoded {
  /** The document as written, BOM removed. All source offsets index into this string. */
  text: string;
  encoding: Encoding;
  bom: boolean;
}

export interface DecodeResult {
  decoded: Decoded | null;
  diagnostics: Diagnostic[];
}

/** Magic numbers of the binary files people most often send instead of text. */
const MAGIC: readonly (readonly [string, readonly number[]])[] = [
  ["PDF", [0x25, 0x50, 0x44, 0x46]],
  ["ZIP/Office 文档", [0x50, 0x4b, 0x03, 0x04]],
  ["旧版 Office 文档", [0xd0, 0xcf, 0x11, 0xe0]],
  ["PNG 图片", [0x89, 0x50, 0x4e, 0x47]],
  ["JPEG 图片", [0xff, 0xd8, 0xff]],
  ["GIF 图片", [0x47, 0x49, 0x46, 0x38]],
  ["RAR 压缩包", [0x52, 0x61, 0x72, 0x21]],
  ["7z 压缩包", [0x37, 0x7a, 0xbc, 0xaf]],
  ["gzip 压缩包", [0x1f, 0x8b]],
  ["ELF 程序", [0x7f, 0x45, 0x4c, 0x46]],
];

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const LENIENT_UTF8 = new TextDecoder("utf-8", { ignoreBOM: true });

/** Share of undecodable characters above which a GB18030 reading is not believed. */
const MAX_REPLACED_SHARE = 0.001;

export function decode(bytes: Uint8Array): DecodeResult {
  if (bytes.length === 0) return fail(diagnostic("EMPTY_FILE"));

  const bom = detectBom(bytes);
  if (bom) return finish(decodeWith(bytes.subarray(bom.length), bom.encoding), bom.encoding, true);

  const magic = MAGIC.find(([, sig]) => sig.every((b, i) => bytes[i] === b));
  if (magic) return fail(diagnostic("BINARY_FILE", { kind: magic[0] }));

  const utf16 = guessUtf16(bytes);
  if (utf16) return finish(decodeWith(bytes, utf16), utf16, false);

  if (bytes.includes(0)) return fail(diagnostic("BINARY_FILE", { kind: "含有空字节" }));

  try {
    const text = STRICT_UTF8.decode(bytes);
    return finish(text, "utf-8", false);
  } catch {
    // Not UTF-8: the other encoding Chinese offices write is GB18030/GBK.
  }
  const text = iconv.decode(bytes, "gb18030");
  const replaced = countReplacements(text);
  if (replaced > Math.max(1, text.length * MAX_REPLACED_SHARE)) return fail(diagnostic("UNDECODABLE"));
  const result = finish(text, "gb18030", false);
  if (replaced > 0) result.diagnostics.push(diagnostic("DECODE_REPLACED", { count: replaced, encoding: "GB18030" }));
  return result;
}

function detectBom(bytes: Uint8Array): { encoding: Encoding; length: number } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: "utf-8", length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: "utf-16le", length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: "utf-16be", length: 2 };
  return null;
}

/**
 * UTF-16 text without a BOM: it has zero bytes (in ASCII, in 一 = U+4E00, in the ideographic
 * space U+3000), which neither UTF-8 nor GB18030 text has. Read a sample both ways round and keep
 * the reading that gives text: Chinese, ASCII, punctuation and full-width forms.
 */
function guessUtf16(bytes: Uint8Array): Encoding | null {
  const n = Math.min(bytes.length - (bytes.length % 2), UTF16_SAMPLE);
  if (n < 4 || !bytes.subarray(0, n).includes(0)) return null;
  const le = plausibleShare(bytes, n, 1);
  const be = plausibleShare(bytes, n, 0);
  if (le >= MIN_PLAUSIBLE && le > be) return "utf-16le";
  if (be >= MIN_PLAUSIBLE && be > le) return "utf-16be";
  return null;
}

const UTF16_SAMPLE = 8192;
/** Share of plausible characters a reading needs to be believed. */
const MIN_PLAUSIBLE = 0.9;

/** `high` is the position of the high byte in each pair: 1 for little-endian, 0 for big-endian. */
function plausibleShare(bytes: Uint8Array, n: number, high: 0 | 1): number {
  let good = 0;
  for (let i = 0; i < n; i += 2) {
    const code = ((bytes[i + high] as number) << 8) | (bytes[i + 1 - high] as number);
    if (
      (code >= 0x20 && code < 0x7f) ||
      code === 0x0a ||
      code === 0x0d ||
      code === 0x09 ||
      (code >= 0x4e00 && code <= 0x9fff) ||
      (code >= 0x3000 && code <= 0x303f) ||
      (code >= 0xff00 && code <= 0xffef) ||
      (code >= 0x2000 && code <= 0x206f) ||
      (code >= 0x2460 && code <= 0x24ff)
    ) {
      good++;
    }
  }
  return good / (n / 2);
}

function decodeWith(bytes: Uint8Array, encoding: Encoding): string {
  if (encoding === "utf-8") return LENIENT_UTF8.decode(bytes);
  return iconv.decode(bytes, encoding);
}

function finish(text: string, encoding: Encoding, bom: boolean): DecodeResult {
  const clean = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (clean.trim().length === 0) return fail(diagnostic("EMPTY_FILE"));
  const diagnostics: Diagnostic[] = [];
  if (encoding !== "gb18030") {
    const replaced = countReplacements(clean);
    if (replaced > Math.max(1, clean.length * MAX_REPLACED_SHARE)) return fail(diagnostic("UNDECODABLE"));
    if (replaced > 0) diagnostics.push(diagnostic("DECODE_REPLACED", { count: replaced, encoding: encoding.toUpperCase() }));
  }
  return { decoded: { text: clean, encoding, bom }, diagnostics };
}

function fail(d: ReturnType<typeof diagnostic>): DecodeResult {
  return { decoded: null, diagnostics: [d] };
}

function countReplacements(text: string): number {
  let count = 0;
  for (let i = text.indexOf("\ufffd"); i >= 0; i = text.indexOf("\ufffd", i + 1)) count++;
  return count;
}
