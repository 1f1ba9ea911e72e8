// Word's list numbering (word/numbering.xml): lists (w:abstractNum: per level a start, a format
// such as chineseCounting, and a text such as "%1、") and instances of them (w:num) that
// paragraphs point at, and the numbers drawn in each format ("十一", "⑶", "ⅳ"). Also the small
// name and value helpers the .docx parts share.

import { CIRCLED } from "../chinese.js";
import { type XmlAttrs, type XmlElement, childElement, childElements, localName } from "./xml.js";

const WORD_NAMESPACES = new Set([
  "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
  "http://purl.oclc.org/ooxml/wordprocessingml/main",
]);
// ---------------------------------------------------------------------------------------------
// Names. WordprocessingML is nearly always written with the "w:" prefix, but the prefix is the
// writer's choice; we take the one the root element binds to the namespace.

export type Qualify = (local: string) => string;

export function qualifier(root: XmlAttrs): Qualify {
  const prefix = namespacePrefix(root);
  return (local) => prefix + local;
}

/** An on/off property: present without w:val, or with a true value, is on. */
export function isOn(value: string | undefined): boolean {
  return value === undefined || !(value === "0" || value === "false" || value === "off");
}

export function intOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number.parseInt(value, 10);
  return Number.isFinite(n) ? n : undefined;
}

// ---------------------------------------------------------------------------------------------
// Numbering. numbering.xml defines lists (w:abstractNum: per level a start, a format such as
// chineseCounting, and a text such as "%1、"), and instances of them (w:num) that paragraphs
// point at, which may restart a level (w:lvlOverride/w:startOverride).

interface Level {
  start: number;
  format: string;
  /** The level's text with %1…%9 placeholders; null draws no number. */
  text: string | null;
  /** w:lvlRestart: the level restarts after levels above this 1-based one; 0 never; absent, after any higher level. */
  restartAfter?: number;
  /** w:isLgl: every placeholder drawn as an Arabic numeral ("1.1" under "第一章"). */
  legal: boolean;
  suffix: "tab" | "space" | "nothing";
  style?: string;
}

interface NumInstance {
  abstractId: string;
  /** Levels restarted (startOverride) or redefined (w:lvl) by this instance. */
  overrides: Map<number, { start?: number; level?: Level }>;
}

export interface Numbering {
  abstracts: Map<string, Level[]>;
  nums: Map<string, NumInstance>;
}

const MAX_LEVELS = 9;
/** A level's text is "%1、" or "第%1章"; a longer one is hostile (it is repeated on every item). */
const MAX_LEVEL_TEXT = 64;

export function readNumbering(root: XmlElement | null): Numbering {
  const abstracts = new Map<string, Level[]>();
  const nums = new Map<string, NumInstance>();
  if (!root) return { abstracts, nums };
  const w = qualifier(root.attrs);
  const links = new Map<string, string>(); // abstractNumId → the style its levels are defined by
  const definers = new Map<string, string>(); // style name → abstractNumId defining it
  for (const abstract of childElements(root, w("abstractNum"))) {
    const id = abstract.attrs[w("abstractNumId")];
    if (id === undefined) continue;
    const levels: Level[] = [];
    for (const lvl of childElements(abstract, w("lvl"))) {
      const ilvl = intOf(lvl.attrs[w("ilvl")]);
      if (ilvl !== undefined && ilvl >= 0 && ilvl < MAX_LEVELS) levels[ilvl] = readLevel(lvl, w);
    }
    abstracts.set(id, levels);
    const link = childElement(abstract, w("numStyleLink"))?.attrs[w("val")];
    if (link !== undefined) links.set(id, link);
    const defines = childElement(abstract, w("styleLink"))?.attrs[w("val")];
    if (defines !== undefined) definers.set(defines, id);
  }
  for (const num of childElements(root, w("num"))) {
    const id = num.attrs[w("numId")];
    let abstractId = childElement(num, w("abstractNumId"))?.attrs[w("val")];
    if (id === undefined || abstractId === undefined) continue;
    // A list that takes its levels from a numbering style uses the list that defines the style.
    const link = links.get(abstractId);
    if (link !== undefined) abstractId = definers.get(link) ?? abstractId;
    const overrides = new Map<number, { start?: number; level?: Level }>();
    for (const override of childElements(num, w("lvlOverride"))) {
      const ilvl = intOf(override.attrs[w("ilvl")]);
      if (ilvl === undefined || ilvl < 0 || ilvl >= MAX_LEVELS) continue;
      const start = intOf(childElement(override, w("startOverride"))?.attrs[w("val")]);
      const lvl = childElement(override, w("lvl"));
      overrides.set(ilvl, { ...(start === undefined ? {} : { start }), ...(lvl ? { level: readLevel(lvl, w) } : {}) });
    }
    nums.set(id, { abstractId, overrides });
  }
  return { abstracts, nums };
}

function readLevel(lvl: XmlElement, w: Qualify): Level {
  const val = (name: string) => childElement(lvl, w(name))?.attrs[w("val")];
  const text = childElement(lvl, w("lvlText"));
  const suffix = val("suff");
  const restartAfter = intOf(val("lvlRestart"));
  const style = val("pStyle");
  return {
    start: intOf(val("start")) ?? 0,
    format: numberFormat(lvl, w),
    text: text ? (text.attrs[w("val")] ?? "").slice(0, MAX_LEVEL_TEXT) : null,
    legal: childElement(lvl, w("isLgl")) !== undefined && isOn(childElement(lvl, w("isLgl"))?.attrs[w("val")]),
    suffix: suffix === "space" || suffix === "nothing" ? suffix : "tab",
    ...(restartAfter === undefined ? {} : { restartAfter }),
    ...(style === undefined ? {} : { style }),
  };
}

/** A level's w:numFmt; Word 2010 wraps custom formats in mc:AlternateContent with a plain fallback. */
function numberFormat(lvl: XmlElement, w: Qualify): string {
  const direct = childElement(lvl, w("numFmt"))?.attrs[w("val")];
  if (direct !== undefined) return direct;
  for (const alternate of childElements(lvl)) {
    if (localName(alternate.name) !== "AlternateContent") continue;
    const fallback = childElements(alternate).find((c) => localName(c.name) === "Fallback");
    const format = fallback && childElement(fallback, w("numFmt"))?.attrs[w("val")];
    if (format !== undefined) return format;
  }
  return "decimal";
}

/**
 * Numbers paragraphs in document order, as Word draws them. Instances of one list share its
 * counters (Word continues a list across w:num elements), except an instance that overrides a
 * level (startOverride, or a w:lvl of its own), which counts on its own: that is how Word writes
 * "restart numbering". Numbering a level restarts the levels below it (unless w:lvlRestart says
 * otherwise).
 * Returns the text to put in front of the paragraph ("一、", "(1)"), "" when none.
 */
export function createNumberer(numbering: Numbering): (numId: string, ilvl: number) => string {
  const counters = new Map<string, (number | undefined)[]>();
  return (numId, ilvl) => {
    const num = numbering.nums.get(numId);
    const abstract = num && numbering.abstracts.get(num.abstractId);
    if (!num || !abstract || ilvl < 0 || ilvl >= MAX_LEVELS) return "";
    const levelAt = (i: number): Level | undefined => num.overrides.get(i)?.level ?? abstract[i];
    const level = levelAt(ilvl);
    if (!level) return "";
    const key = num.overrides.size > 0 ? `num ${numId}` : `abstract ${num.abstractId}`;
    let values = counters.get(key);
    if (!values) counters.set(key, (values = []));
    const startOf = (i: number) => num.overrides.get(i)?.start ?? levelAt(i)?.start ?? 0;
    const current = values[ilvl];
    values[ilvl] = current === undefined ? startOf(ilvl) : current + 1;
    for (let below = ilvl + 1; below < MAX_LEVELS; below++) {
      const after = levelAt(below)?.restartAfter;
      if (after === undefined || (after > 0 && ilvl <= after - 1)) values[below] = undefined;
    }
    if (level.text === null || level.format === "bullet" || level.format === "none") return "";
    const drawn = level.text.replace(/%([1-9])/g, (_, d: string) => {
      const i = Number(d) - 1;
      const format = level.legal && i < ilvl ? "decimal" : (levelAt(i)?.format ?? "decimal");
      return formatNumber(values[i] ?? startOf(i), format);
    });
    return drawn + suffixAfter(drawn, level.suffix);
  };
}

/**
 * Word puts a tab (or space) after the number. A typed plan writes "一、总体要求", "①加强": a number
 * ending in punctuation, or an enclosed one, is followed by the text directly; "第一章 总则" keeps it.
 */
function suffixAfter(drawn: string, suffix: Level["suffix"]): string {
  if (suffix === "nothing" || !drawn) return "";
  return SELF_DELIMITED.has(drawn[drawn.length - 1] as string) ? "" : " ";
}

const CN_DIGITS = "〇一二三四五六七八九";
const CN_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖";
const CN_UNITS = ["", "十", "百", "千"] as const;
const CN_LEGAL_UNITS = ["", "拾", "佰", "仟"] as const;
const HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸";
const EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥";
const PARENTHESIZED = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇";
const FULL_STOPPED = "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛";
const SELF_DELIMITED = new Set([..."、.．)）:：]】〕", ...CIRCLED, ...PARENTHESIZED, ...FULL_STOPPED]);
/** Chinese counting goes to 9999; past it (no plan has 10,000 items) we write digits. */
const MAX_COUNTING = 9999;
const HUNDRED = 100;
/** a…z, aa…zz: past 10 rounds of the alphabet (a hostile start value) we write digits. */
const MAX_LETTERS = 26 * 10;

/** A counter value in one of Word's number formats (w:numFmt); unknown formats give digits. */
export function formatNumber(n: number, format: string): string {
  if (!Number.isSafeInteger(n) || n < 0) return String(n);
  // Past the end of a list of symbols (甲…癸, ①…⑳) Word writes digits.
  const fromList = (list: string) => (n >= 1 && n <= list.length ? list[n - 1] : undefined);
  let out: string | undefined;
  switch (format) {
    case "chineseCounting":
    case "japaneseCounting":
    case "taiwaneseCounting":
      // Word counts to 九十九 and writes larger values digit by digit (一〇一).
      out = n < HUNDRED ? chineseCounting(n, CN_DIGITS, CN_UNITS, true) : digitByDigit(n);
      break;
    case "chineseCountingThousand":
    case "taiwaneseCountingThousand":
      out = chineseCounting(n, CN_DIGITS, CN_UNITS, true);
      break;
    case "chineseLegalSimplified":
      out = chineseCounting(n, CN_LEGAL_DIGITS, CN_LEGAL_UNITS, false);
      break;
    case "ideographDigital":
    case "taiwaneseDigital":
      out = digitByDigit(n);
      break;
    case "ideographTraditional":
      out = fromList(HEAVENLY_STEMS);
      break;
    case "ideographZodiac":
      out = fromList(EARTHLY_BRANCHES);
      break;
    case "decimalEnclosedCircle":
    case "decimalEnclosedCircleChinese":
      out = fromList(CIRCLED);
      break;
    case "decimalEnclosedParen":
      out = fromList(PARENTHESIZED);
      break;
    case "decimalEnclosedFullstop":
      out = fromList(FULL_STOPPED);
      break;
    case "decimalFullWidth":
    case "decimalFullWidth2":
      out = Array.from(String(n), (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)).join("");
      break;
    case "decimalZero":
      out = n < 10 ? `0${n}` : undefined;
      break;
    case "upperLetter":
    case "lowerLetter":
      out = n >= 1 && n <= MAX_LETTERS ? letters(n, format === "upperLetter") : undefined;
      break;
    case "upperRoman":
    case "lowerRoman":
      out = n >= 1 && n < 4000 ? roman(n, format === "upperRoman") : undefined;
      break;
  }
  return out ?? String(n);
}

/** `informal` writes 10–19 as 十, 十一 (not 一十, 一十一); the legal form keeps 壹拾壹. */
function chineseCounting(n: number, digits: string, units: readonly string[], informal: boolean): string | undefined {
  if (n > MAX_COUNTING) return undefined;
  if (n === 0) return digits[0];
  const parts: string[] = [];
  let zero = false;
  const places = String(n).length;
  for (let place = places - 1; place >= 0; place--) {
    const d = Math.floor(n / 10 ** place) % 10;
    if (d === 0) {
      zero = parts.length > 0;
      continue;
    }
    if (zero) parts.push(digits[0] as string);
    zero = false;
    const leadingTen = informal && place === 1 && places === 2 && d === 1;
    parts.push((leadingTen ? "" : (digits[d] as string)) + (units[place] as string));
  }
  return parts.join("");
}

function digitByDigit(n: number): string {
  return Array.from(String(n), (d) => CN_DIGITS[Number(d)]).join("");
}

function letters(n: number, upper: boolean): string {
  // Word repeats the letter: a…z, aa…zz, aaa…
  const letter = String.fromCharCode((upper ? 65 : 97) + ((n - 1) % 26));
  return letter.repeat(Math.floor((n - 1) / 26) + 1);
}

function roman(n: number, upper: boolean): string {
  const table: [number, string][] = [[1000, "m"], [900, "cm"], [500, "d"], [400, "cd"], [100, "c"], [90, "xc"], [50, "l"], [40, "xl"], [10, "x"], [9, "ix"], [5, "v"], [4, "iv"], [1, "i"]];
  let out = "";
  let rest = n;
  for (const [value, digits] of table) {
    while (rest >= value) {
      out += digits;
      rest -= value;
    }
  }
  return upper ? out.toUpperCase() : out;
}

export function namespacePrefix(root: XmlAttrs): string {
  for (const [name, value] of Object.entries(root)) {
    if (!WORD_NAMESPACES.has(value)) continue;
    if (name === "xmlns") return "";
    if (name.startsWith("xmlns:")) return `${name.slice("xmlns:".length)}:`;
  }
  return "w:";
}
