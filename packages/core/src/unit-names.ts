// What the name of a responsible body looks like (市教育局, 各县市区人民政府, 基教科, 市委编办),
// how a written list of them is split ("市教育局、市财政局,各县(市、区)人民政府"), and how a name
// broken across the lines of a table cell is joined again ("市自然资源" + "和规划局").

import { charTable } from "./chinese.js";

/** The words of a note's label: a role and a kind ("牵头" + "单位"). */
export const NOTE_ROLES = "牵头|主责|主办|责任|配合|协办|协助|参与|协同|承办|实施|落实";
export const NOTE_KINDS = "单位|部门|科室|处室|股室|机构|主体";
/** A note label at the start of a string: "责任单位:", "[牵头单位]". A list never runs on across one. */
export const NOTE_LABEL_START_RE = new RegExp(
  `^(?:[\\[【]\\s*(?:主要)?(?:${NOTE_ROLES})(?:${NOTE_KINDS})?\\s*[\\]】]\\s*:?|(?:主要)?(?:${NOTE_ROLES})(?:${NOTE_KINDS})?\\s*:)\\s*`,
);

/** A written unit name with its place in the string it was found in. */
export interface UnitName {
  name: string;
  start: number;
  end: number;
}

// ---------------------------------------------------------------------------------------------
// What a body's name looks like

/** Longest sensible name: "XX市人民政府教育督导委员会办公室" is 16. */
export const MAX_NAME_LENGTH = 24;

/** Endings that name a kind of body: 局, 办, 委, 科, 股 (a county bureau's section), 中心, 学校, 人民政府 … */
const BODY_SUFFIX_RE =
  /(?:政府|委员会|领导小组|工作组|专班|办公室|中心|学院|学校|中学|小学|大学|幼儿园|部门|机构|单位|集团|公司|银行|共青团|组织|党总支|支部|电视台|[局办委科室处院校部厅会联站所队组馆司署协股]|[\d一二三四五六七八九十]+[中小])$/;
/** The last characters of BODY_SUFFIX_RE's endings (keep in step): a cheap first test. */
const BODY_END_CHARS = charTable("府会组班室心院校学园门构位团司行织支部台局办委科处厅联站所队馆署协股中小");

/** Words that end like a body but are not one: 格局, 学科, 教室, 举办, 场馆, 干部, 现场会 … */
const NOT_BODY_END_RE =
  /(?:[格布大全开结变当时]局|[学本专理文工全分]科|(?:教|实验|功能|会议|活动|阅览|图书|咨询|辅导|录播)室|[举承主协创开兴合督交查包代筹民公试申停领联]办|[相之到好益难用出长短住]处|处处|[餐大客展门]厅|场馆|体育馆|[场厕住处]所|[网车]站|[团梯排组带领入归球]队|(?:教师|人才|师资)队|[重改分编]组|[全内外局干底顶]部|[全返到入离在住驻进来留]校|(?:现场|推进|交流|座谈|运动|研讨|培训|博览|联欢|表彰|部署|调度|报告|家长|动员|观摩|论证|听证|评审|说明|大|年|例|展|社|机|体|领|约|都|宴|理|误|聚|晚)会|[关互串并物内失]联|[入控参持配炒]股|部署|妥协|为中心|为单位|培训机构|(?:责任|牵头|配合|协办|参与|主责)(?:单位|部门|科室))$/;

/** A name never starts with a verb or a function word ("加强教研组", "与哈尔滨体育学院"). */
const NOT_NAME_START_RE =
  /^(?:加强|推进|建设|完善|提升|强化|深化|优化|落实|开展|实施|健全|加快|推动|做好|全面|扎实|持续|积极|进一步|坚持|严格|发挥|探索|构建|打造|规范|保障|促进|引导|支持|鼓励|建立|创建|组建|培育|开设|举办|召开|成立|争创|力争|确保|实现|提高|增强|督促|配合|联合|会同|依托|利用|借助|围绕|聚焦|结合|面向|纳入|[对与在将把被为以由按从向和及或等并要应须])/;

/** Characters a name does not contain: sentence punctuation, lists, quotes, 的/与/等. */
const NOT_IN_NAME_RE = /[。,;:!?、“”《》"的与等]/;

/** Bare kinds that need a place before them to name a body ("人民政府" alone is half a name). */
const BARE_KIND_RE = /^(?:人民政府|委员会)$/;

/** Two-character bodies that plans write on their own. */
const SHORT_BODIES = new Set([
  "妇联", "团委", "工会", "体校", "党委", "纪委", "政协", "科协", "残联", "侨联", "文联",
  "党办", "校办", "招办", "市委", "县委", "区委", "省委", "党校", "各校", "各园",
]);

/** Administrative prefixes: a fragment that starts with one is the head of a broken name. */
export const ADMIN_PREFIX_RE = /^(?:各|市|县|区|省|州|盟|旗|镇|乡|中共|共青团|地区|自治)/;
/** Prefixes strong enough that a line starting with one begins a new name, not a continuation. */
export const NEW_NAME_PREFIX_RE = /^(?:各|市|县|区|省|中共|共青团)/;
/** A line that starts like this continues the name above it ("和规划局"). */
export const CONTINUATION_START_RE = /^(?:和|及|与|员会|委员会)/;

/**
 * Speed: the same short strings are asked about again and again (every list item, every join of
 * broken cells, every column line), so answers are kept; the table is cleared when it grows past
 * a bound, so memory stays flat on any input. Only the answer of a pure function is kept.
 */
const nameVerdicts = new Map<string, boolean>();
const MAX_KEPT_VERDICTS = 20_000;
/** Longer strings are answered without keeping them (a name is at most MAX_NAME_LENGTH, spaces aside). */
const MAX_KEPT_LENGTH = 2 * MAX_NAME_LENGTH;

/** Whether a short line or cell reads as the name of a responsible body. */
export function looksLikeUnitName(s: string): boolean {
  if (s.length > MAX_KEPT_LENGTH) return judgeUnitName(s); // a sentence: no name, and not worth keeping
  let verdict = nameVerdicts.get(s);
  if (verdict === undefined) {
    verdict = judgeUnitName(s);
    if (nameVerdicts.size >= MAX_KEPT_VERDICTS) nameVerdicts.clear();
    nameVerdicts.set(s, verdict);
  }
  return verdict;
}

function judgeUnitName(s: string): boolean {
  const name = s.trim();
  if (SHORT_BODIES.has(name)) return true;
  if (name.length < 3 || name.length > MAX_NAME_LENGTH) return false;
  // The ending first: most strings tried are no names, and it is the check that rules most out.
  if (BODY_END_CHARS[name.charCodeAt(name.length - 1)] !== 1 || !BODY_SUFFIX_RE.test(name)) return false;
  // An aside in brackets may hold a list: "各县(市、区)人民政府".
  if (/\s/.test(name) || NOT_IN_NAME_RE.test(name.replace(BRACKETED_ASIDE_RE, "")) || !bracketsBalanced(name)) return false;
  if (BARE_KIND_RE.test(name) || NOT_NAME_START_RE.test(name)) return false;
  if (CONTINUATION_START_RE.test(name)) return false;
  return !NOT_BODY_END_RE.test(name);
}

const BRACKETED_ASIDE_RE = /\([^()]{1,8}\)/g;

const OPENERS = "([【〔";
const CLOSERS = ")]】〕";

// Lookup tables for the character loops below (a table read instead of a string search or a
// one-character string per step).
export const IS_OPENER = charTable(OPENERS);
export const IS_CLOSER = charTable(CLOSERS);
/** The characters of the regex class \s (ECMAScript WhiteSpace and LineTerminator). */
export const SPACE_CHARS = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff";
const IS_SPACE = charTable(SPACE_CHARS);
const SPACE = 0x20;
export const NEWLINE = 0x0a;
export const FULL_STOP = "。".charCodeAt(0);

function bracketsBalanced(s: string): boolean {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (IS_OPENER[code] === 1) depth++;
    else if (IS_CLOSER[code] === 1 && --depth < 0) return false;
  }
  return depth === 0;
}


/** How many lines a name broken across cells may span ("市住房和城" / "乡建设局"). */
const MAX_FRAGMENT_LINES = 3;

/** Whether `head` is the start of a name the next line finishes. */
export function isNameHead(head: string): boolean {
  return !looksLikeUnitName(head) && ADMIN_PREFIX_RE.test(head) && head.length < MAX_NAME_LENGTH;
}

/**
 * Rebuilds names broken across lines: a line that starts like a name (市, 各, 县 …) but does not
 * end like one joins the next line(s) while the result reads as a body ("市自然资源" + "和规划局",
 * "各县市区" + "人民政府"); a line starting with 和/及 always continues the one above. Returns
 * groups of line indexes, one group per rebuilt line.
 */
export function groupFragments(lines: readonly string[]): number[][] {
  const groups: number[][] = [];
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!.trim();
    const last = groups[groups.length - 1];
    if (last && CONTINUATION_START_RE.test(text) && looksLikeUnitName(joined(lines, last) + text)) {
      last.push(i);
      continue;
    }
    const group = [i];
    let name = text;
    for (let j = i + 1; isNameHead(name) && j < lines.length && group.length < MAX_FRAGMENT_LINES; j++) {
      const next = lines[j]!.trim();
      if (NEW_NAME_PREFIX_RE.test(next) && looksLikeUnitName(next)) break;
      if (!looksLikeUnitName(name + next) && !isNameHead(name + next)) break;
      group.push(j);
      name += next;
    }
    if (group.length > 1 && !looksLikeUnitName(name)) group.length = 1;
    groups.push(group);
    i = group[group.length - 1]!;
  }
  return groups;
}

export function joined(lines: readonly string[], group: readonly number[]): string {
  return group.map((i) => lines[i]!.trim()).join("");
}

/** A 责任单位 column's lines with broken names joined: ["市自然资源", "和规划局"] → ["市自然资源和规划局"]. */
export function joinUnitFragments(lines: readonly string[]): string[] {
  return groupFragments(lines).map((g) => joined(lines, g));
}

/**
 * The units in a flattened table's 责任单位 column, given its lines (cells) in order: broken
 * names joined, several names on one line split ("市教育局  市委网信办"), lines that are not
 * wholly names of bodies skipped (so the caller may pass every line of a row). With
 * `firstListedLeads`, the first unit is the lead.
 */

// ---------------------------------------------------------------------------------------------
// Splitting a written list of bodies

/** Separators between names in a list; whitespace is handled apart (it may be a stray space). */
const NAME_SEPARATORS = "、,;/";
const IS_SEPARATOR = charTable(NAME_SEPARATORS);

interface Word {
  start: number;
  end: number;
  /** The whitespace before this word was one space (a stray break), not a run or a line break. */
  afterSingleSpace: boolean;
  /** A list separator, not whitespace, came before this word. */
  afterSeparator: boolean;
}

/** Cuts a list at depth-0 separators and whitespace, so "各县(市、区)教育局" stays whole. */
function cutWords(list: string): Word[] {
  const words: Word[] = [];
  let depth = 0;
  let wordStart = -1;
  // The whitespace since the last word or separator: its length, and whether it is one space.
  let gapLength = 0;
  let gapIsOneSpace = false;
  let sawSeparator = true;
  for (let i = 0; i <= list.length; i++) {
    const code = i < list.length ? list.charCodeAt(i) : NEWLINE;
    const isSpace = IS_SPACE[code] === 1;
    const isSeparator = depth === 0 && IS_SEPARATOR[code] === 1;
    if (IS_OPENER[code] === 1) depth++;
    else if (IS_CLOSER[code] === 1 && depth > 0) depth--;
    if ((isSpace && depth === 0) || isSeparator || i === list.length) {
      if (wordStart >= 0) {
        words.push({ start: wordStart, end: i, afterSingleSpace: gapIsOneSpace, afterSeparator: sawSeparator });
        wordStart = -1;
        gapLength = 0;
        gapIsOneSpace = false;
        sawSeparator = false;
      }
      if (isSeparator) {
        sawSeparator = true;
        gapLength = 0;
        gapIsOneSpace = false;
      } else if (isSpace) {
        gapLength++;
        gapIsOneSpace = gapLength === 1 && code === SPACE;
      }
      continue;
    }
    if (wordStart < 0) wordStart = i;
  }
  return words;
}

/**
 * Whether two words split by whitespace are one name broken by a stray space: join when the
 * whole reads as a body and the halves do not both do so ("各县市区 人民政府"), or when the space
 * is a single one and neither half is a body on its own.
 */
function joinsAcrossSpace(left: string, right: string, singleSpace: boolean): boolean {
  if (left.endsWith(":") || right.includes(":") || NOTE_LABEL_START_RE.test(right)) return false;
  const leftIsBody = looksLikeUnitName(left);
  const rightIsBody = looksLikeUnitName(right);
  if (leftIsBody && rightIsBody) return false;
  if (looksLikeUnitName(left + right)) return true;
  return singleSpace && !leftIsBody && !rightIsBody;
}

/** Trailing 。 and unmatched brackets around a name, and a closing "等" (etc.). */
const TRAILING_NOISE_RE = /[。.,;、\s]+$|等$/;
/** The last characters TRAILING_NOISE_RE removes, and the first ones trimName drops. */
const TRIMMED_END = charTable(`。.,;、等${SPACE_CHARS}`);
const TRIMMED_START = charTable(`。,;、${SPACE_CHARS}`);

function trimName(list: string, start: number, end: number): { start: number; end: number } {
  let s = start;
  let e = end;
  for (let changed = true; changed && e > s; ) {
    changed = false;
    // Speed: a clean name (the usual case) has none of the ends the branches below trim.
    const first = list.charCodeAt(s);
    const last = list.charCodeAt(e - 1);
    if (!TRIMMED_END[last] && !IS_CLOSER[last] && !IS_OPENER[first] && !TRIMMED_START[first]) break;
    const text = list.slice(s, e);
    const noise = TRAILING_NOISE_RE.exec(text);
    if (noise && noise[0].length > 0) {
      e -= noise[0].length;
      changed = true;
    } else if (CLOSERS.includes(text[text.length - 1]!) && !bracketsBalanced(text)) {
      e--;
      changed = true;
    } else if (OPENERS.includes(text[0]!) && !bracketsBalanced(text)) {
      s++;
      changed = true;
    } else if (/^[\s。,;、]/.test(text)) {
      s++;
      changed = true;
    }
  }
  return { start: s, end: e };
}

/**
 * Splits a written list of bodies ("市教育局、市财政局,各县市区人民政府") into names, with
 * offsets (`offset` is added, so pass the list's offset in a larger string). Splits on 、 , ; /
 * and whitespace outside brackets; joins halves broken by a stray space; strips trailing 。 and
 * unmatched brackets. Each name is as written, minus the whitespace inside a joined name.
 */
const HAS_SPACE_RE = /\s/;

/** A written name with the spaces a PDF or a table cell put into it removed (most have none). */
export function withoutSpaces(text: string): string {
  return HAS_SPACE_RE.test(text) ? text.replace(/\s+/g, "") : text;
}

export function splitUnitList(list: string, offset = 0): UnitName[] {
  const words = cutWords(list);
  const merged: Word[] = []; // the words themselves, widened when joined
  for (const w of words) {
    const last = merged[merged.length - 1];
    if (last && !w.afterSeparator) {
      const left = withoutSpaces(list.slice(last.start, last.end));
      const right = list.slice(w.start, w.end);
      if (joinsAcrossSpace(left, right, w.afterSingleSpace)) {
        last.end = w.end;
        continue;
      }
    }
    merged.push(w);
  }
  const names: UnitName[] = [];
  for (const m of merged) {
    const t = trimName(list, m.start, m.end);
    const name = withoutSpaces(list.slice(t.start, t.end));
    if (name.length > 0) names.push({ name, start: t.start + offset, end: t.end + offset });
  }
  return names;
}
