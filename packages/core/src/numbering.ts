// Heading numbers as Chinese plans write them, from the top level down:
//   一、   (一)   1.  1、  "1 标题"   (1)  1)   ①
// A marker only says what a line could be; outline.ts decides whether it is a heading by
// checking that its number continues the sequence.

import { CIRCLED, ordinalOf } from "./chinese.js";
import type { Line } from "./read.js";

export type MarkerKind = "part" | "cn" | "cn-paren" | "num" | "num-paren" | "circled" | "cn-is" | "cn-ordinal";

/** Depth of each kind in the usual hierarchy; smaller is higher. */
export const RANK: Readonly<Record<MarkerKind, number>> = {
  // "第一部分", "第二章": the parts of a long plan, above 一、.
  part: 0,
  cn: 1,
  "cn-paren": 2,
  num: 3,
  "num-paren": 4,
  circled: 5,
  // "一是…二是…": the items of a news report or a speech; outline.ts takes them as tasks only when
  // nothing else numbers the plan, since elsewhere they are points inside a section's lead.
  "cn-is": 3,
  // "第一,…第二,…": the items of a speech-style plan, at the level of 1.
  "cn-ordinal": 3,
};

export interface Marker {
  kind: MarkerKind;
  rank: number;
  /** The label as it appears in a path: "三", "(一)", "12", "(3)", "①". */
  label: string;
  ordinal: number;
  /** Where the heading's own text starts inside the line. */
  contentStart: number;
  /**
   * True for numbers written without punctuation ("1 新增…", "27构建…"): common in news reports
   * and typos, but also how body sentences can begin, so only believed in sequence.
   */
  loose: boolean;
}

/** Heading numerals: 一 … 九十九 (零, 两, 百 never start a heading). */
const CN = "[一二三四五六七八九十]{1,3}";
const CN_HEADING = new RegExp(`^(${CN})\\s*[、.]\\s*`);
const CN_PAREN = new RegExp(`^\\(\\s*(${CN})\\s*\\)\\s*[、.]?\\s*`);
const NUM_PAREN = /^(?:\(\s*(\d{1,2})\s*\)|(\d{1,2})\))\s*[、.]?\s*/;
const NUM = /^(\d{1,3})\s*[.、,](?!\d)\s*/;
const CIRCLED_HEADING = new RegExp(`^([${CIRCLED}])\\s*`);
const PART = new RegExp(`^第(${CN})(?:部分|章|篇)\\s*[、.:]?\\s*`);
const CN_ORDINAL = new RegExp(`^第(${CN})\\s*[,、:]\\s*`);
const CN_IS = new RegExp(`^(${CN})是(?=[\u4e00-\u9fff“"《])`);
/** A number alone on its line: a table's 序号 cell, or a page number (outline.ts tells which). */
const BARE_NUMBER = /^(\d{1,3})$/;
/** "1 新增公办园…" (news style) and "27构建…" (a dropped dot). */
const NUM_LOOSE = /^(\d{1,3})(\s*)(?=[\u4e00-\u9fff“"《])/;
/** After a bare number these mean a quantity or a date, not a heading: "30所学校", "3月". */
const QUANTITY_AFTER = /^[年月日号个所名万亿元项次届期天人周岁级类批家台套间块节条分小倍位座处支种本册场门米亩千百十]/;

/**
 * Speed: which patterns a line's first character lets match, so a line is tried only against
 * those (a digit never starts "一、", a "(" never starts "1."); any other first character rules a
 * line out at once. Within a group the patterns keep the order markerOf tries them in.
 */
const START_DIGIT = 1;
const START_PAREN = 2;
const START_CN = 3;
const START_ORDINAL = 4;
const START_CIRCLED = 5;
const MARKER_START = (() => {
  const table = new Uint8Array(0x10000);
  const mark = (chars: string, group: number) => {
    for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = group;
  };
  mark("0123456789", START_DIGIT);
  mark("(", START_PAREN);
  mark("一二三四五六七八九十", START_CN);
  mark("第", START_ORDINAL);
  mark(CIRCLED, START_CIRCLED);
  return table;
})();

/**
 * `markerOf(line.text)`, read once per line and kept on the line (split.ts and outline.ts ask for
 * the same line several times). The marker is shared between callers: do not change it.
 */
export function lineMarker(line: Line): Marker | null {
  if (line.marker === undefined) line.marker = markerOf(line.text);
  return line.marker;
}

export function markerOf(text: string): Marker | null {
  switch (MARKER_START[text.charCodeAt(0)]) {
    case START_CN:
      return cnMarker(text);
    case START_ORDINAL:
      return ordinalMarker(text);
    case START_PAREN:
      return parenMarker(text);
    case START_DIGIT:
      return digitMarker(text);
    case START_CIRCLED: {
      const m = CIRCLED_HEADING.exec(text);
      return m ? make("circled", m[1] as string, m[0].length, false) : null;
    }
    default:
      return null;
  }
}

/** "一、", "一是". */
function cnMarker(text: string): Marker | null {
  let m: RegExpExecArray | null;
  if ((m = CN_HEADING.exec(text))) return make("cn", m[1] as string, m[0].length, false);
  if ((m = CN_IS.exec(text))) return make("cn-is", m[1] as string, m[0].length, true);
  return null;
}

/** "第一部分", "第一,". */
function ordinalMarker(text: string): Marker | null {
  let m: RegExpExecArray | null;
  if ((m = PART.exec(text))) {
    const part = make("part", m[1] as string, m[0].length, false);
    if (part) part.label = m[0].replace(/[\s、.:]+$/, "");
    return part;
  }
  if ((m = CN_ORDINAL.exec(text))) {
    const item = make("cn-ordinal", m[1] as string, m[0].length, false);
    if (item) item.label = `第${m[1]}`;
    return item;
  }
  return null;
}

/** "(一)", "(1)". */
function parenMarker(text: string): Marker | null {
  let m: RegExpExecArray | null;
  if ((m = CN_PAREN.exec(text))) return make("cn-paren", m[1] as string, m[0].length, false);
  if ((m = NUM_PAREN.exec(text))) return make("num-paren", (m[1] ?? m[2]) as string, m[0].length, false);
  return null;
}

/** "1)", "1.", a bare "1", "1 新增…". */
function digitMarker(text: string): Marker | null {
  let m: RegExpExecArray | null;
  if ((m = NUM_PAREN.exec(text))) return make("num-paren", (m[1] ?? m[2]) as string, m[0].length, false);
  if ((m = NUM.exec(text))) return make("num", m[1] as string, m[0].length, false);
  if ((m = BARE_NUMBER.exec(text))) return make("num", m[1] as string, m[0].length, true);
  if ((m = NUM_LOOSE.exec(text))) {
    if (QUANTITY_AFTER.test(text.slice(m[0].length))) return null;
    return make("num", m[1] as string, m[0].length, true);
  }
  return null;
}

/** Speed: heading numbers are a few short strings ("1" … "999", "一" … "九十九"), read once each. */
const ordinals = new Map<string, number | null>();
const MAX_CACHED_NUMBER = 3;

function cachedOrdinal(raw: string): number | null {
  let ordinal = ordinals.get(raw);
  if (ordinal === undefined) {
    ordinal = ordinalOf(raw);
    if (raw.length <= MAX_CACHED_NUMBER) ordinals.set(raw, ordinal);
  }
  return ordinal;
}

function make(kind: MarkerKind, raw: string, contentStart: number, loose: boolean): Marker | null {
  const ordinal = cachedOrdinal(raw);
  if (ordinal === null || ordinal === 0) return null;
  const label = kind === "cn-paren" ? `(${raw})` : kind === "num-paren" ? `(${ordinal})` : kind === "num" ? String(ordinal) : raw;
  return { kind, rank: RANK[kind], label, ordinal, contentStart, loose };
}

/** Counts explicit sub-items in a task's text: the longest run (1)(2)(3)… or, failing that, ①②③…. */
export function countMeasures(text: string): number {
  const paren = text.includes("(") ? longestRun(text, PAREN_ITEM, (s) => Number(s)) : 0;
  if (paren > 0) return paren;
  return longestRun(text, CIRCLED_ITEM, (s) => CIRCLED.indexOf(s) + 1, true);
}

// Compiled once: countMeasures runs on every task (longestRun resets lastIndex).
const PAREN_ITEM = /\((\d{1,2})\)/g;
const CIRCLED_ITEM = new RegExp(`[${CIRCLED}]`, "g");

function longestRun(text: string, re: RegExp, value: (s: string) => number, whole = false): number {
  let next = 1;
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const v = value(whole ? m[0] : (m[1] as string));
    if (v === next) next++;
  }
  return next - 1;
}
