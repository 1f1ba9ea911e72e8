// Targets: the quantitative commitments one task states ("新增公办园50所", "达标率达到77%",
// "提升3-5个百分点"), each with its value in plain units (SCHEMA.md, "Targets").
//
// One compiled pattern finds every number followed by a measure word. Small checks on the
// clause around it then drop what only looks like a target: ordinals, names in quotes or 《titles》,
// grades and durations, existing batches, partners, the basis or role of an item (以…为支点,
// 发挥…作用, 围绕…), scopes of a rule ("600人以上的学校") and facts about the past. A Chinese
// numeral ("两个", "一所") or a duration ("24小时") counts only right after a committing verb,
// because outside that it is nearly always part of a name or a slogan ("三个课堂", "一校一案").

import { charTable, CN_NUMERAL_CHARS, ENUM_COMMA, parseNumber, roundNumber } from "./chinese.js";
import type { TargetHit } from "./types.js";

const ARABIC = String.raw`(?<![\d.A-Za-z第])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:万亿|万|亿)?`;
/** A Chinese numeral that is not the tail of another numeral or an ordinal ("第二", "十四五"). */
const CHINESE = `(?<![${CN_NUMERAL_CHARS}万亿第])[${CN_NUMERAL_CHARS}][${CN_NUMERAL_CHARS}万亿]*`;
const NUMBER = `(?:${ARABIC}|${CHINESE})`;
const RANGE_SEP = String.raw`(?:[-—–~]{1,2}|至|到)`;

/**
 * Measure words, longest first, each with the characters that turn it into another word
 * ("所有", "个人", "人员", "台账", "支持", "场地"): after those it is no measure word.
 */
const MEASURE_WORDS: readonly (readonly [string, string])[] = [
  ["个百分点", ""], ["百分点", ""], ["平方米", ""], ["平米", ""], ["公里", ""],
  ["人次", ""], ["场次", ""], ["分钟", ""], ["小时", ""], ["学时", ""], ["课时", ""],
  ["美元", ""], ["欧元", ""], ["港元", ""], ["日元", ""], ["%", ""],
  ["所", "有在属谓得需长"], ["个", "人性体案月"], ["名", "单称义额次"],
  ["人", "员才民数口均工格群事力"], ["间", "隔断"], ["块", ""], ["节", "点约日能"],
  ["项", "目"], ["家", "庭长属务乡亲"], ["次", "数序要性"], ["天", "然地"],
  ["期", "间末中限待望刊"], ["台", "账阶湾"], ["套", ""], ["处", "理置罚分室"],
  ["支", "持撑部付出援"], ["场", "所地馆景合域"], ["篇", ""], ["门", "户类槛诊"],
  ["本", "地科土校市区届年级"], ["册", ""], ["件", ""], ["座", "谈"], ["栋", ""],
  ["张", ""], ["辆", ""], ["条", "件例款龙"], ["户", "籍口外"], ["位", "置于列次"],
  ["亩", ""], ["元", "旦素宵"], ["分", "类析配工别校管批期层级数布解享散担院会局站区段子成"],
];
const MEASURE = MEASURE_WORDS.map(([w, not]) => (not ? `${w}(?![${not}])` : w)).join("|");
/** Written forms that mean the same unit. */
const UNIT_ALIAS: Readonly<Record<string, string>> = { 百分点: "个百分点", 平米: "平方米" };
/** Durations: a number of these is a target only when bounded or set ("不少于1小时", "设立一天"). */
const DURATION_UNITS = new Set(["分钟", "小时", "天", "学时", "课时"]);
/** Units of levels, money and time; after any other unit the quote runs on over the object counted ("创建40所绿色学校"). */
const NON_COUNT_UNITS = new Set(["%", "个百分点", "元", "美元", "欧元", "港元", "日元", ...DURATION_UNITS]);

const SUFFIX = "及以上|以上|以下|以内|之内|左右";
/**
 * Words after the measure word that make the phrase no count of output: grades and durations
 * ("15个年级", "3个学期"), dimensions of analysis ("两个层面", "5个方面").
 */
const NOT_A_COUNT = "年级|学期|学年|工作日|季度|星期|方面|层面|维度|环节|领域|阶段|学段|途径|渠道";
/** "九项工程", "四项计划", "20项民心工程": the size of a set of named programmes, not an amount to reach. */
const PROGRAMME_LABEL =
  /^[项个][\u4e00-\u9fff]{0,2}?(?:工程|行动|计划|改革|举措|工作|任务|措施|原则|目标|方针|战略|体系|机制)/u;
/** "8所试点校": the count names a pilot group (unless a verb commits to choosing it). */
const PILOT_GROUP = /^试点(?:学校|校|园|单位|县|区)/u;
/** "一个", "一项", "一条" before a noun are mostly the article "a" ("建立一个长效机制"), not a count. */
const ARTICLE = /^一[个项种条]$/u;
/**
 * Tried only where a number starts (see `findTargets`): sticky, so one attempt is exactly the
 * attempt a left-to-right scan would make there.
 */
const TARGET_AT = new RegExp(
  `(?<n1>${NUMBER})(?:%?${RANGE_SEP}(?<n2>${NUMBER}))?(?<approx>余|多)?(?<unit>${MEASURE})` +
    `(?!${NOT_A_COUNT})(?<suffix>${SUFFIX})?(?<rate>/[^\\s,;。、]{1,4})?`,
  "uy",
);

/**
 * Speed: a target starts with a numeral and its first number is a run of the NUMBER_CHARS; right
 * after that number comes a range sign, 余/多 or a measure word, all starting with a FOLLOW char.
 * A run of numerals with no FOLLOW char after its first character (the 一 of 统一, 进一步) cannot
 * start a target, so the pattern is not tried there. Keep both lists in step with NUMBER,
 * RANGE_SEP and the pattern below (the measure words are read from MEASURE_WORDS).
 */
const NUMBER_CHARS = charTable(`0123456789${CN_NUMERAL_CHARS},.万亿`);
const NUMBER_START = charTable(`0123456789${CN_NUMERAL_CHARS}`);
const FOLLOW = charTable(`%-—–~至到余多${MEASURE_WORDS.map(([w]) => w[0]).join("")}`);

function isAsciiDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** Where a clause ends, for the bound and context checks (an enumeration comma does not end one). */
const CLAUSE_END = ",;。!?:\n";
const IS_CLAUSE_END = charTable(CLAUSE_END);
/** How far back a clause or a phrase is looked for; plan sentences put the verb close by. */
const CLAUSE_WINDOW = 80;
const PHRASE_WINDOW = 30;
/** How many characters of object name a quote takes after the measure word. */
const TAIL_WINDOW = 16;
/** The object's name ends at a clause or list end, a bracket, the next number or a conjunction. */
const TAIL_STOP = charTable(",;。!?:\n、(“《0123456789和及与并或");
/** An item number ("6.", "(2)", "3 " in a news heading) or spaces at a phrase's head are no part of the quote. */
const HEAD_NOISE = /^(?:\s|\(\d+\)|\d+[.、](?!\d)|\d+(?=\s)|[①-⑳])+/u;
const ASCII_WORD = charTable("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.");
const NUMERAL = charTable(`0123456789${CN_NUMERAL_CHARS}`);
/** A short name in quotes or a title holds the number: "“三个课堂”", "《建设100所示范校方案》". */
const QUOTE_WINDOW = 12;
const OPENERS = charTable("“《「『");
const CLOSERS = charTable("”》」』");
const NEWLINE = 0x0a;
const STRAIGHT_QUOTE = 0x22;
const ENUM_COMMA_CODE = ENUM_COMMA.charCodeAt(0);

/** Verbs and bounds that commit to an amount; a Chinese numeral or a duration needs one close before it. */
const COMMIT =
  "新建|改建|扩建|新增|增加|增设|增建|建设|建成|创建|打造|培育|培养|培训|遴选|评选|认定|选树|" +
  "提升|提高|下降|降低|减少|达到|至少|不少于|不低于|不超过|不高于|组织|开展|举办|实施|设立|" +
  "开设|安排|招聘|招收|补充|引进|完成|建立|争创|推出|输送|配备|配齐|保证|确保|保持|控制在|上调至|提供|" +
  "改造|办好|建好|选派|新招|扶持|资助|命名|确定|召开";
/** The gap between the verb and the number: no clause end, no 每 (a rate: "每月一个主题"), no quotes. */
const COMMIT_BEFORE = new RegExp(`(?:${COMMIT})[^,;。!?:\\n每“”]{0,10}$`, "u");
const COMMIT_WINDOW = 18;

const FLOOR_WORDS = ["不少于", "不低于", "不小于", "至少", "超过", "多于", "高于"];
const CEILING_WORDS = ["不超过", "不高于", "不多于", "不大于", "低于", "少于", "控制在"];
/** Longest first, so "不低于" is read whole and never as its tail "低于". */
const BOUND_WORDS = new RegExp(
  [...FLOOR_WORDS, ...CEILING_WORDS].sort((a, b) => b.length - a.length).join("|"),
  "gu",
);
const FLOOR_SUFFIX = new Set(["及以上", "以上", "余", "多"]);
const CEILING_SUFFIX = new Set(["以下", "以内", "之内"]);

/** A clause that only gives the basis of the work: "围绕…等4个重点项目,". */
const BASIS_CLAUSE = /^(?:\(\d+\)|\d+[.、]|[①-⑳])?\s*(?:围绕|依据|根据|对照|依托|借助|基于|聚焦|针对)/;
/** "以8所试点校…为引领": the number names the base the work stands on. */
const BASE_OF_WORK = /^(?:\(\d+\)|\d+[.、]|[①-⑳])?\s*以/;
const BASE_ROLE = /为(?:引领|支点|抓手|载体|依托|核心|主线|牵引|牵动|龙头|突破口|基础|平台|纽带|统领|试点|重点|样板)/;
/** "发挥…2所…示范校引领带动作用": the role of existing bodies. */
const ROLE_BEFORE = "发挥";
const ROLE_AFTER = /作用/;
/** Facts about the past or the present stock: "已建成", "去年新增", "全市现有幼儿园120所" (not "较去年"). */
const NOT_FUTURE = /已|现有|共有|(?<![较比与])(?:去年|上年|上一年)|(?<![为除])了/;
/** Speed: a character every NOT_FUTURE match contains; most clauses have none. */
const NOT_FUTURE_CHARS = charTable("已现共去上了");

function hasAny(text: string, table: Uint8Array): boolean {
  for (let i = 0; i < text.length; i++) if (table[text.charCodeAt(i)] === 1) return true;
  return false;
}
const BASELINE_AFTER = /^[^,;。]{0,16}的基础上/;
const BASELINE_WINDOW = 24;
/** "不足10人的教学点": a bound then 的 — the number sets the scope of a rule, as "600人以上的学校" does. */
const SCOPE_BOUND_BEFORE = /(?:不足|少于|低于|超过|高于|多于|不到|不满)$/;
/** Right before the number: a rank or group ("前10名", "后30%学生"), a partner ("与24条产业链"). */
const NOT_OUTPUT_BEFORE = /[前后与同]$/;
/** "在8所学校开展试点": the place the work happens, not its output ("稳定在93%", "控制在45人" are levels). */
const PLACE_BEFORE = /(?<![定持制])在$/;
const PLACE_CODE = "在".charCodeAt(0);
const NOT_OUTPUT_END = charTable("前后与同");
const BATCH_CODE = "批".charCodeAt(0);
/** After "N人以上": a noun, so the number bounds the scope of a rule ("600人以上的学校", "56人以上大班额"). */
const SCOPE_AFTER = /^[的\u4e00-\u9fff]/u;
/** "首批7所", "第二批10所", "6个省首批": the size of a batch already named. */
const BATCH_BEFORE = new RegExp(`(?:首批|第[${CN_NUMERAL_CHARS}\\d]+批)$`, "u");
const BATCH_AFTER = new RegExp(`^(?:国家级|省级|市级|省|市|区|县)?(?:首批|第[${CN_NUMERAL_CHARS}\\d]+批)`, "u");

interface Candidate {
  groups: Record<string, string | undefined>;
  numStart: number;
  unitEnd: number;
  end: number;
  chinese: boolean;
  unit: string;
  /** Start of the clause holding the number. */
  clauseFrom: number;
}

/** Every committed quantitative target stated in one task's text, in order of appearance. */
export function findTargets(text: string): TargetHit[] {
  const hits: TargetHit[] = [];
  let straightQuotes: StraightQuotes | null = null;
  // `i` walks the text as a left-to-right scan would: past each match, whether kept or not.
  for (let i = nextRun(text, 0); i >= 0; ) {
    const runEnd = runEndOf(text, i);
    let next = runEnd;
    for (let at = i; at < runEnd; at++) {
      if (NUMBER_START[text.charCodeAt(at)] !== 1) continue;
      TARGET_AT.lastIndex = at;
      const m = TARGET_AT.exec(text);
      if (m === null) continue;
      const c = candidateOf(m, text);
      straightQuotes ??= new StraightQuotes(text);
      if (!straightQuotes.around(c.numStart, c.unitEnd) && isCommitted(text, c)) {
        const hit = hitOf(text, c);
        if (hit) hits.push(hit);
      }
      next = c.end;
      break;
    }
    i = nextRun(text, next);
  }
  return hits;
}

/**
 * The start of the next run of numerals at or after `from` that can start a target (a FOLLOW
 * char inside it or right after it), or -1. Speed: this loop reads every character of the text,
 * so it is kept in a small function of its own, which V8 compiles far tighter than the same loop
 * inside findTargets.
 */
function nextRun(text: string, from: number): number {
  const length = text.length;
  for (let i = from; i < length; ) {
    if (NUMBER_START[text.charCodeAt(i)] !== 1) {
      i++;
      continue;
    }
    let runEnd = i + 1;
    let follows = false;
    for (; runEnd < length; runEnd++) {
      const code = text.charCodeAt(runEnd);
      if (FOLLOW[code] === 1) follows = true;
      if (NUMBER_CHARS[code] !== 1) break;
    }
    if (follows) return i;
    i = runEnd;
  }
  return -1;
}

/** The end of the run of NUMBER_CHARS that starts at `start`. */
function runEndOf(text: string, start: number): number {
  let end = start + 1;
  while (end < text.length && NUMBER_CHARS[text.charCodeAt(end)] === 1) end++;
  return end;
}

function candidateOf(m: RegExpExecArray, text: string): Candidate {
  const groups = m.groups ?? {};
  const n1 = groups.n1 ?? "";
  const unitText = groups.unit ?? "";
  const unitEnd = m.index + m[0].length - (groups.suffix ?? "").length - (groups.rate ?? "").length;
  return {
    groups,
    numStart: m.index,
    unitEnd,
    end: m.index + m[0].length,
    chinese: !isAsciiDigit(n1.charCodeAt(0)),
    unit: UNIT_ALIAS[unitText] ?? unitText,
    clauseFrom: clauseStart(text, m.index),
  };
}

/** The start of the clause holding `at`, looking back at most CLAUSE_WINDOW characters. */
function clauseStart(text: string, at: number): number {
  const floor = Math.max(0, at - CLAUSE_WINDOW);
  for (let i = at - 1; i >= floor; i--) if (IS_CLAUSE_END[text.charCodeAt(i)] === 1) return i + 1;
  return floor;
}

function clauseEnd(text: string, at: number): number {
  const ceil = Math.min(text.length, at + CLAUSE_WINDOW);
  for (let i = at; i < ceil; i++) if (IS_CLAUSE_END[text.charCodeAt(i)] === 1) return i;
  return ceil;
}

function isCommitted(text: string, c: Candidate): boolean {
  const { numStart, unitEnd, end } = c;
  const before = text.slice(c.clauseFrom, numStart);
  const after = () => text.slice(end, clauseEnd(text, end)); // read only for the rare role checks
  const n1 = c.groups.n1 ?? "";
  if (insideName(text, numStart, unitEnd)) return false;
  if (c.chinese && text.startsWith(n1, unitEnd)) return false; // "一人一案", "一校一策"
  if (c.chinese && ARTICLE.test(text.slice(numStart, unitEnd))) return false;
  // Speed: the patterns anchored at the end of `before` are tried only when its last character
  // can end them (an end-anchored pattern is otherwise tried at every position).
  const last = before.charCodeAt(before.length - 1);
  if (NOT_OUTPUT_END[last] === 1 && NOT_OUTPUT_BEFORE.test(before)) return false;
  if (last === PLACE_CODE && PLACE_BEFORE.test(before) && !NON_COUNT_UNITS.has(c.unit)) return false;
  if (PROGRAMME_LABEL.test(text.slice(unitEnd - 1, unitEnd + 5))) return false;
  if ((last === BATCH_CODE && BATCH_BEFORE.test(before)) || BATCH_AFTER.test(text.slice(unitEnd, unitEnd + 6))) return false;
  const head = before.trimStart();
  if (BASIS_CLAUSE.test(head)) return false;
  if (BASE_OF_WORK.test(head) && BASE_ROLE.test(after())) return false;
  if (before.includes(ROLE_BEFORE) && ROLE_AFTER.test(after())) return false;
  if (hasAny(before, NOT_FUTURE_CHARS) && NOT_FUTURE.test(before)) return false;
  // The verb check is the dearest test; most candidates (Arabic counts) never need it.
  const committed = () => COMMIT_BEFORE.test(text.slice(Math.max(0, numStart - COMMIT_WINDOW), numStart));
  // "600人以上的学校" bounds the scope of a rule; "60%以上的区县通过评估" is a share to reach.
  const scoped =
    c.unit !== "%" && /^(?:及?以上|以下)$/.test(c.groups.suffix ?? "") && SCOPE_AFTER.test(text.slice(end, end + 1));
  if (scoped && !committed()) return false;
  if (text[end] === "的" && SCOPE_BOUND_BEFORE.test(before)) return false;
  // "在2023年新增学位12.8万个的基础上": a baseline already reached, not the target.
  if (BASELINE_AFTER.test(text.slice(end, end + BASELINE_WINDOW)) && /在[^,;。]*$/.test(before)) return false;
  if (c.unit === "分" && c.chinese) return false; // "十分重要": 分 counts points only after digits
  if ((c.chinese || DURATION_UNITS.has(c.unit)) && !committed()) return false;
  if (PILOT_GROUP.test(text.slice(unitEnd, unitEnd + 4)) && !committed()) return false;
  return true;
}

/**
 * Straight quotes ("5个1") cannot tell opening from closing, so count them along each line; the
 * candidates come in text order, so one forward pass serves them all.
 */
class StraightQuotes {
  private at = 0;
  private open = false;
  /** Speed: most texts have no straight quote, and then nothing is inside one. */
  private readonly any: boolean;

  constructor(private readonly text: string) {
    this.any = text.includes('"');
  }

  /** Inside a short pair: an odd count before, one close before and one close after. */
  around(start: number, end: number): boolean {
    if (!this.any) return false;
    for (; this.at < start; this.at++) {
      const code = this.text.charCodeAt(this.at);
      if (code === NEWLINE) this.open = false;
      else if (code === STRAIGHT_QUOTE) this.open = !this.open;
    }
    return (
      this.open &&
      this.text.slice(Math.max(0, start - QUOTE_WINDOW), start).includes('"') &&
      this.text.slice(end, end + QUOTE_WINDOW).includes('"')
    );
  }
}

/** Inside a short quoted name or a 《title》: an opener close before and a closer close after. */
function insideName(text: string, start: number, end: number): boolean {
  let opened = false;
  for (let i = start - 1; i >= Math.max(0, start - QUOTE_WINDOW); i--) {
    const code = text.charCodeAt(i);
    if (CLOSERS[code] === 1 || IS_CLAUSE_END[code] === 1) break;
    if (OPENERS[code] === 1) {
      opened = true;
      break;
    }
  }
  if (!opened) return false;
  for (let i = end; i < Math.min(text.length, end + QUOTE_WINDOW); i++) {
    const code = text.charCodeAt(i);
    if (CLOSERS[code] === 1) return true;
    if (OPENERS[code] === 1) return false;
  }
  return false;
}

function hitOf(text: string, c: Candidate): TargetHit | null {
  const value = parseNumber(c.groups.n1 ?? "");
  if (value === null) return null;
  const max = c.groups.n2 === undefined ? null : parseNumber(c.groups.n2);
  const scale = /[万亿]/.test(c.groups.n1 ?? "") || c.groups.n2 === undefined ? 1 : scaleOf(c.groups.n2);
  const { start, end } = quoteSpan(text, c);
  const hit: TargetHit = {
    quote: text.slice(start, end),
    value: roundNumber(value * scale),
    unit: c.unit,
    bound: boundOf(text, c, max !== null),
    start,
    end,
  };
  if (max !== null) hit.value_max = roundNumber(max);
  return hit;
}

/** "1.5-2万人": the scale written once, on the upper end, applies to both. */
function scaleOf(n2: string): number {
  return n2.endsWith("亿") ? 1e8 : n2.endsWith("万") ? 1e4 : 1;
}

function boundOf(text: string, c: Candidate, range: boolean): TargetHit["bound"] {
  if (range) return "range";
  const suffix = c.groups.suffix ?? c.groups.approx ?? "";
  if (FLOOR_SUFFIX.has(suffix)) return "floor";
  if (CEILING_SUFFIX.has(suffix)) return "ceiling";
  const before = text.slice(c.clauseFrom, c.numStart);
  let last = "";
  BOUND_WORDS.lastIndex = 0;
  for (let m = BOUND_WORDS.exec(before); m; m = BOUND_WORDS.exec(before)) last = m[0];
  if (CEILING_WORDS.includes(last)) return "ceiling";
  if (FLOOR_WORDS.includes(last)) return "floor";
  return "level";
}

/**
 * Where the phrase of the number at `at` starts: at the clause start, or after the enumeration
 * comma that follows an earlier numeral ("校长80人、教师1000人"). Items with no numeral of their own
 * share this one and stay in the phrase ("覆盖率、参与率100%", "新建、改扩建…80所").
 */
function phraseStart(text: string, at: number): number {
  const floor = Math.max(0, at - PHRASE_WINDOW);
  let listComma = -1;
  for (let i = at - 1; i >= floor; i--) {
    const code = text.charCodeAt(i);
    if (IS_CLAUSE_END[code] === 1) return i + 1;
    if (code === ENUM_COMMA_CODE) listComma = i;
    else if (listComma >= 0 && NUMERAL[code] === 1) return listComma + 1;
  }
  if (floor === 0) return 0;
  // Cut off by the window: start after a list comma, or at least not inside a number or a word.
  if (listComma >= 0) return listComma + 1;
  let start = floor;
  while (start < at && ASCII_WORD[text.charCodeAt(start - 1)] === 1 && ASCII_WORD[text.charCodeAt(start)] === 1) start++;
  return start;
}

/** The phrase that states the target: from the start of its phrase to the unit, and on over the object it counts. */
function quoteSpan(text: string, c: Candidate): { start: number; end: number } {
  let start = phraseStart(text, c.numStart);
  const noise = HEAD_NOISE.exec(text.slice(start, c.numStart));
  if (noise && start + noise[0].length < c.numStart) start += noise[0].length;
  let end = c.end;
  if (!NON_COUNT_UNITS.has(c.unit) && !c.groups.rate) {
    const ceil = Math.min(text.length, end + TAIL_WINDOW);
    while (end < ceil && TAIL_STOP[text.charCodeAt(end)] !== 1) end++;
  }
  while (end > c.end && /\s/.test(text[end - 1] as string)) end--;
  return { start, end };
}
