// Chinese numerals and the punctuation the rules speak of, in one place. Rules run on normalized
// text (normalize.ts): full-width ASCII forms are already half-width there, so "(" and ":" and
// "1" are ASCII, while 、。“”《》〔〕【】 stay as they are.

/** Digits written in Chinese, including the forms used in amounts (两) and years (〇). */
export const CN_DIGIT: Readonly<Record<string, number>> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** Multipliers inside a Chinese numeral (十, 百, 千) and the large ones that scale a whole group. */
export const CN_SMALL_UNIT: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000 };
export const CN_LARGE_UNIT: Readonly<Record<string, number>> = { 万: 1e4, 亿: 1e8 };

/** Character classes for regular expressions (without brackets). */
export const CN_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千";
/** Circled numbers ①–⑳, used for sub-items. */
export const CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳";

/** Enumeration comma and the separators unit lists are split on. */
export const ENUM_COMMA = "、";
export const LIST_SEPARATORS = /[、,;]|\s{2,}/;
/** Ends of a sentence. */
export const SENTENCE_END = "。;!?";
/** Brackets a 文号 year stands in: 〔2023〕, 【2024】, [2023], (2023). */
export const DOC_NUMBER_BRACKETS = "〔〕【】[]()";

/**
 * The value of a Chinese numeral ("十五" → 15, "两" → 2, "一百二十" → 120, "二〇二四" → 2024),
 * or null when the string is not one.
 */
export function parseChineseNumeral(s: string): number | null {
  if (s.length === 0) return null;
  // Digit-by-digit form, as in years: 二〇二四.
  if (s.length > 1 && [...s].every((c) => c in CN_DIGIT) && !s.includes("两")) {
    let v = 0;
    for (const c of s) v = v * 10 + (CN_DIGIT[c] as number);
    return v;
  }
  let total = 0;
  let group = 0;
  let digit: number | null = null;
  for (const c of s) {
    if (c in CN_DIGIT) {
      digit = CN_DIGIT[c] as number;
    } else if (c in CN_SMALL_UNIT) {
      group += (digit ?? 1) * (CN_SMALL_UNIT[c] as number);
      digit = null;
    } else if (c in CN_LARGE_UNIT) {
      total = (total + group + (digit ?? 0)) * (CN_LARGE_UNIT[c] as number);
      group = 0;
      digit = null;
    } else {
      return null;
    }
  }
  return total + group + (digit ?? 0);
}

/**
 * The value of a number as plans write it: Arabic ("1,200", "7.7"), Chinese ("十五"), or either
 * followed by 万/亿 ("7.7万" → 77000, "3万" → 30000). Null when it is neither.
 */
export function parseNumber(s: string): number | null {
  const m = /^([\d,]*\.?\d+)(万|亿|万亿)?$/.exec(s);
  if (m) {
    const base = Number((m[1] as string).replace(/,/g, ""));
    if (!Number.isFinite(base)) return null;
    const scale = m[2] === "万" ? 1e4 : m[2] === "亿" ? 1e8 : m[2] === "万亿" ? 1e12 : 1;
    return roundNumber(base * scale);
  }
  return parseChineseNumeral(s);
}

/** Removes binary floating-point noise (7.7 × 10000 = 77000.00000000001, 294.4 × 1e8 = 29439999999.999996). */
export function roundNumber(v: number): number {
  return Number.isInteger(v) ? v : Number(v.toPrecision(15));
}

/** The ordinal a heading number stands for: "三" → 3, "12" → 12, "⑤" → 5. */
export function ordinalOf(label: string): number | null {
  const circled = CIRCLED.indexOf(label);
  if (circled >= 0) return circled + 1;
  if (/^\d+$/.test(label)) return Number(label);
  return parseChineseNumeral(label);
}

/** Chinese numeral for 1–99, as headings write it: 1 → 一, 12 → 十二, 20 → 二十. */
export function chineseOrdinal(n: number): string {
  const d = "零一二三四五六七八九";
  if (n < 10) return d[n] as string;
  if (n < 20) return "十" + (n % 10 ? d[n % 10] : "");
  return (d[Math.floor(n / 10)] as string) + "十" + (n % 10 ? d[n % 10] : "");
}

/** A lookup table of characters, for hot loops that test one character at a time (table[code] === 1). */
export function charTable(chars: string): Uint8Array {
  const table = new Uint8Array(0x10000);
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = 1;
  return table;
}
