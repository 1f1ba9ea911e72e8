// Bounded unzip for OOXML packages (.docx, .xlsx). A zip is hostile input: its headers may lie
// about sizes, its central directory may point outside the file, and a few kilobytes of deflate
// may expand to gigabytes. So we read the central directory ourselves (every offset checked),
// inflate only the entries the caller asks for, and count what inflate actually produces, in
// small steps, stopping as soon as a limit is passed.

import { Inflate } from "fflate";
import { diagnostic } from "../diagnostics.js";
import type { Diagnostic } from "../types.js";

export interface ZipOptions {
  /** Which entries to inflate; the others are only listed in `names`, never decompressed. */
  want: (name: string) => boolean;
  /** Most bytes one wanted entry may inflate to. */
  maxEntry: number;
  /** Most bytes all wanted entries together may inflate to. */
  maxTotal: number;
  /** What the file is, for FILE_CORRUPT's message: "Word 文档", "Excel 工作簿". */
  kind: string;
}

export type ZipResult =
  | {
      ok: true;
      /** Every entry name in the archive, in central-directory order. */
      names: string[];
      /** The wanted entries' inflated bytes, by name. */
      entries: Map<string, Uint8Array>;
    }
  | { ok: false; diagnostic: Diagnostic };

/**
 * Reads a zip archive's wanted entries within limits. Never throws on bad input: a truncated or
 * malformed archive gives FILE_CORRUPT {kind}, an encrypted entry FILE_ENCRYPTED, and an entry
 * (declared or actually) inflating past `maxEntry`, or all of them past `maxTotal`,
 * ARCHIVE_TOO_LARGE {limit}.
 */
export function readZip(bytes: Uint8Array, options: ZipOptions): ZipResult {
  const corrupt = (): ZipResult => ({ ok: false, diagnostic: diagnostic("FILE_CORRUPT", { kind: options.kind }) });
  const directory = readDirectory(bytes);
  if (!directory) return corrupt();
  const entries = new Map<string, Uint8Array>();
  let total = 0;
  for (const entry of directory) {
    if (!options.want(entry.name) || entries.has(entry.name)) continue;
    if (entry.encrypted) return { ok: false, diagnostic: diagnostic("FILE_ENCRYPTED") };
    const limit = Math.min(options.maxEntry, options.maxTotal - total);
    const tooLarge = (): ZipResult => ({
      ok: false,
      diagnostic: diagnostic("ARCHIVE_TOO_LARGE", { limit: formatSize(limit === options.maxEntry ? options.maxEntry : options.maxTotal) }),
    });
    if (entry.size > limit) return tooLarge();
    const data = entryData(bytes, entry);
    if (!data) return corrupt();
    const inflated = expand(data, entry.method, limit);
    if (inflated === TOO_LARGE) return tooLarge();
    if (inflated === CORRUPT) return corrupt();
    total += inflated.length;
    entries.set(entry.name, inflated);
  }
  return { ok: true, names: directory.map((e) => e.name), entries };
}

/** "64 MB": a limit as a clerk reads it. */
export function formatSize(bytes: number): string {
  const MB = 1024 * 1024;
  return bytes >= MB ? `${Math.round(bytes / MB)} MB` : `${Math.round(bytes / 1024)} KB`;
}

interface DirectoryEntry {
  name: string;
  method: number;
  encrypted: boolean;
  compressedSize: number;
  /** Uncompressed size as declared: a hint to fail early, never trusted as the real size. */
  size: number;
  localOffset: number;
}

const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
const CENTRAL_SIZE = 46;
const LOCAL_SIZE = 30;
const ZIP64_EXTRA = 0x0001;
const U16_MAX = 0xffff;
const U32_MAX = 0xffffffff;
const FLAG_ENCRYPTED = 0x1;
const METHOD_STORED = 0;
const METHOD_DEFLATE = 8;
/** Compressed bytes fed to inflate per step: deflate expands at most ~1032×, so one step yields ≤ ~16 MB. */
const INFLATE_STEP = 16 * 1024;

const u16 = (b: Uint8Array, at: number) => (b[at] as number) | ((b[at + 1] as number) << 8);
const u32 = (b: Uint8Array, at: number) => (u16(b, at) + u16(b, at + 2) * 0x10000);
const u64 = (b: Uint8Array, at: number) => u32(b, at) + u32(b, at + 4) * 0x100000000;

/** The central directory's entries, or null when it cannot be found or runs out of the file. */
function readDirectory(bytes: Uint8Array): DirectoryEntry[] | null {
  const eocd = findEocd(bytes);
  if (eocd < 0) return null;
  let count = u16(bytes, eocd + 10);
  let offset = u32(bytes, eocd + 16);
  if (count === U16_MAX || offset === U32_MAX) {
    const zip64 = readZip64End(bytes, eocd);
    if (!zip64) return null;
    ({ count, offset } = zip64);
  }
  const entries: DirectoryEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + CENTRAL_SIZE > bytes.length || u32(bytes, at) !== SIG_CENTRAL) return null;
    const nameLength = u16(bytes, at + 28);
    const extraLength = u16(bytes, at + 30);
    const commentLength = u16(bytes, at + 32);
    const end = at + CENTRAL_SIZE + nameLength + extraLength + commentLength;
    if (end > bytes.length) return null;
    const entry: DirectoryEntry = {
      name: decodeName(bytes.subarray(at + CENTRAL_SIZE, at + CENTRAL_SIZE + nameLength)),
      method: u16(bytes, at + 10),
      encrypted: (u16(bytes, at + 8) & FLAG_ENCRYPTED) !== 0,
      compressedSize: u32(bytes, at + 20),
      size: u32(bytes, at + 24),
      localOffset: u32(bytes, at + 42),
    };
    applyZip64Extra(entry, bytes.subarray(at + CENTRAL_SIZE + nameLength, at + CENTRAL_SIZE + nameLength + extraLength));
    entries.push(entry);
    at = end;
  }
  return entries;
}

function findEocd(bytes: Uint8Array): number {
  const last = bytes.length - EOCD_SIZE;
  for (let at = last; at >= 0 && at >= last - MAX_COMMENT; at--) {
    if (u32(bytes, at) === SIG_EOCD) return at;
  }
  return -1;
}

function readZip64End(bytes: Uint8Array, eocd: number): { count: number; offset: number } | null {
  const locator = eocd - 20;
  if (locator < 0 || u32(bytes, locator) !== SIG_ZIP64_LOCATOR) return null;
  const end = u64(bytes, locator + 8);
  if (end + 56 > bytes.length || u32(bytes, end) !== SIG_ZIP64_EOCD) return null;
  return { count: u64(bytes, end + 32), offset: u64(bytes, end + 48) };
}

/** Zip64 keeps the real sizes and offset in an extra field when the 32-bit ones are saturated. */
function applyZip64Extra(entry: DirectoryEntry, extra: Uint8Array): void {
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = u16(extra, at);
    const length = u16(extra, at + 2);
    const body = at + 4;
    if (id === ZIP64_EXTRA) {
      let field = body;
      const take = () => {
        if (field + 8 > body + length || field + 8 > extra.length) return null;
        const value = u64(extra, field);
        field += 8;
        return value;
      };
      if (entry.size === U32_MAX) entry.size = take() ?? entry.size;
      if (entry.compressedSize === U32_MAX) entry.compressedSize = take() ?? entry.compressedSize;
      if (entry.localOffset === U32_MAX) entry.localOffset = take() ?? entry.localOffset;
      return;
    }
    at = body + length;
  }
}

function decodeName(raw: Uint8Array): string {
  return new TextDecoder("utf-8").decode(raw).replace(/\\/g, "/").replace(/^\/+/, "");
}

/** An entry's compressed bytes, located through its local header; null when out of the file. */
function entryData(bytes: Uint8Array, entry: DirectoryEntry): Uint8Array | null {
  const at = entry.localOffset;
  if (at + LOCAL_SIZE > bytes.length || u32(bytes, at) !== SIG_LOCAL) return null;
  const start = at + LOCAL_SIZE + u16(bytes, at + 26) + u16(bytes, at + 28);
  const end = start + entry.compressedSize;
  return end <= bytes.length ? bytes.subarray(start, end) : null;
}

const TOO_LARGE = Symbol("too large");
const CORRUPT = Symbol("corrupt");

/** Inflates one entry, giving up as soon as the output passes `limit`. */
function expand(data: Uint8Array, method: number, limit: number): Uint8Array | typeof TOO_LARGE | typeof CORRUPT {
  if (method === METHOD_STORED) return data.length > limit ? TOO_LARGE : data.slice();
  if (method !== METHOD_DEFLATE) return CORRUPT;
  const chunks: Uint8Array[] = [];
  let produced = 0;
  let overflow = false;
  const inflate = new Inflate((chunk) => {
    produced += chunk.length;
    if (produced > limit) overflow = true;
    else chunks.push(chunk);
  });
  try {
    for (let at = 0; at < data.length || at === 0; at += INFLATE_STEP) {
      const end = Math.min(at + INFLATE_STEP, data.length);
      inflate.push(data.subarray(at, end), end === data.length);
      if (overflow) return TOO_LARGE;
    }
  } catch {
    return CORRUPT;
  }
  return concat(chunks, produced);
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
