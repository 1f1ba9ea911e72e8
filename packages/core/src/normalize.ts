// Stage 2: normalize once at the front, so later stages may assume one spelling of everything:
// full-width ASCII forms become half-width ("(" → "(", "1" → "1", ":" → ":"), odd spaces become
// plain spaces, CRLF/CR become LF, zero-width characters go, and the enclosed numerals of Word
// lists (⑴, ⒈) are spelt out as "(1)" and "1.". An offset map leads back to the source text.

export interface Normalized {
  /** The text the rules run on. */
  text: string;
  /** The replacements that changed length, in order: where each stands in both texts. */
  shifts: Shift[];
}

export interface Shift {
  normStart: number;
  normEnd: number;
  srcStart: number;
  srcEnd: number;
}

/**
 * CR, CRLF and the characters replaced below. Speed: one character class (with the LF of a CRLF
 * taken only after a CR), which the engine scans faster than an alternation.
 */
const SPECIAL = /[\r\uff01-\uff5e\u3000\u00a0\u2002-\u200a\u202f\u205f\ufeff\u200b-\u200d\u2060\u2474-\u249b](?:(?<=\r)\n)?/g;

/** ⑴–⒇ (U+2474–2487) and ⒈–⒛ (U+2488–249B). */
const PAREN_DIGIT_FIRST = 0x2474;
const DOT_DIGIT_FIRST = 0x2488;

function replacement(ch: string): string {
  if (ch === "\r\n" || ch === "\r") return "\n";
  const code = ch.charCodeAt(0);
  if (code >= 0xff01 && code <= 0xff5e) return String.fromCharCode(code - 0xfee0);
  if (code >= DOT_DIGIT_FIRST && code <= 0x249b) return `${code - DOT_DIGIT_FIRST + 1}.`;
  if (code >= PAREN_DIGIT_FIRST && code < DOT_DIGIT_FIRST) return `(${code - PAREN_DIGIT_FIRST + 1})`;
  if (code === 0xfeff || (code >= 0x200b && code <= 0x200d) || code === 0x2060) return "";
  return " ";
}

export function normalize(source: string): Normalized {
  const parts: string[] = [];
  const shifts: Shift[] = [];
  let last = 0;
  let out = 0;
  SPECIAL.lastIndex = 0;
  for (let m = SPECIAL.exec(source); m; m = SPECIAL.exec(source)) {
    const from = m[0];
    const to = replacement(from);
    parts.push(source.slice(last, m.index), to);
    const normStart = out + m.index - last;
    out = normStart + to.length;
    last = m.index + from.length;
    if (to.length !== from.length) shifts.push({ normStart, normEnd: out, srcStart: m.index, srcEnd: last });
  }
  parts.push(source.slice(last));
  return { text: parts.join(""), shifts };
}

/** The source offset where a span starting at a normalized offset starts. */
export function toSource(n: Normalized, offset: number): number {
  if (n.shifts.length === 0) return offset; // speed: the usual case, without a search
  const s = lastShift(n.shifts, (x) => x.normStart <= offset);
  if (!s) return offset;
  // Inside a replacement ("(1)" for "⑴", "\n" for "\r\n"): its source start.
  return offset < s.normEnd ? s.srcStart : s.srcEnd + (offset - s.normEnd);
}

/** The source offset where a span ending at a normalized offset ends (so a removed character after it stays out). */
export function toSourceEnd(n: Normalized, offset: number): number {
  if (n.shifts.length === 0) return offset;
  const s = lastShift(n.shifts, (x) => x.normStart < offset);
  if (!s) return offset;
  return offset <= s.normEnd ? s.srcEnd : s.srcEnd + (offset - s.normEnd);
}

/** A normalized span in the source; an empty span at a removed character stays empty (start ≤ end). */
export function sourceSpan(n: Normalized, start: number, end: number): { start: number; end: number } {
  const s = toSource(n, start);
  return { start: s, end: Math.max(s, toSourceEnd(n, end)) };
}

function lastShift(shifts: readonly Shift[], before: (s: Shift) => boolean): Shift | undefined {
  let lo = 0;
  let hi = shifts.length - 1;
  let found: Shift | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = shifts[mid] as Shift;
    if (before(s)) {
      found = s;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}
