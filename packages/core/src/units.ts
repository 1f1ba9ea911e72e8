// Who answers for a task: the bodies named in 责任单位-style notes, in sentences that assign the
// work ("教研部门牵头", "由办公室负责"), and in a flattened table's 责任单位 column.
//
// Plans name many bodies that are not responsible for the item: partners ("与…联合", "会同…等
// 部门"), roles ("发挥教研部门…作用"), kinds ("牵头学校"), places and beneficiaries. So a body
// counts only where a note labels it, or where it is the subject of an assigning verb (牵头, 负责,
// 由…, or 联合/会同 with partners). Everything else is left out on purpose.

import { charTable } from "./chinese.js";
import type { UnitHit } from "./types.js";
import {
  ADMIN_PREFIX_RE,
  CONTINUATION_START_RE,
  FULL_STOP,
  IS_CLOSER,
  IS_OPENER,
  MAX_NAME_LENGTH,
  NEWLINE,
  NEW_NAME_PREFIX_RE,
  NOTE_KINDS,
  NOTE_LABEL_START_RE,
  NOTE_ROLES,
  SPACE_CHARS,
  groupFragments,
  isNameHead,
  joined,
  looksLikeUnitName,
  splitUnitList,
  withoutSpaces,
  type UnitName,
} from "./unit-names.js";

/** One line (or cell) of a flattened table's 责任单位 column. */
export interface ColumnLine {
  text: string;
  /** Offset of `text` in the string the caller's offsets refer to. */
  start: number;
}

export interface FindUnitsOptions {
  /** The plan says the first unit listed for an item leads (see `declaresFirstListedLead`). */
  firstListedLeads?: boolean;
}

/** Longest note we read after its label, so an unclosed bracket cannot swallow the task. */
const MAX_NOTE_LENGTH = 300;
/** How far back a sentence rule looks for the subject of 牵头. */
const MAX_SENTENCE_LOOKBACK = 240;
/** Longest subject a sentence rule reads as a list of bodies ("市教育局、市财政局、市人社局…"). */
const MAX_SUBJECT_LENGTH = 100;

// ---------------------------------------------------------------------------------------------
// 责任单位 notes

const NOTE_KIND_END_RE = new RegExp(`(?:${NOTE_KINDS})$`);
/** Roles that may stand without a kind before the colon ("牵头:市教育局"). */
const BARE_ROLE_RE = /^(?:牵头|主办|配合|协办|协助|参与|承办)$/;

/**
 * A note label: "责任单位:", "牵头单位:", "[责任单位]", "【配合部门】:". Group 1 is a bracketed
 * label, group 2 a plain one (which needs its colon).
 */
const NOTE_LABEL_RE = new RegExp(
  `[\\[【]\\s*((?:主要)?(?:${NOTE_ROLES})(?:${NOTE_KINDS})?)\\s*[\\]】]\\s*:?` +
    `|((?:主要)?(?:${NOTE_ROLES})(?:${NOTE_KINDS})?)\\s*:`,
  "g",
);

/** A note saying the first unit listed leads: "排名第一的为牵头单位", "第一个为牵头单位". */
const FIRST_LEADS_RE =
  /(?:排名|排在|排列|列|位列)?(?:第一|首位|首个|第1)(?:位|个|家|名)?的?(?:责任)?(?:单位|部门)?(?:为|是)牵头(?:单位|部门)?/;

/** A role word written after a name inside a list: "市教育局(牵头)", "各县区教育局具体落实". */
const ROLE_MARK_RE =
  /(?:[(\[【]\s*(牵头|主责|配合|协办|参与|负责)\s*[)\]】]|(?:按职责分工|按职责|分别|具体|共同)*(牵头|配合|协办|参与|负责|协助|落实|实施))\s*$/;

/** The last characters ROLE_MARK_RE can end on (keep in step): a closing bracket, a role verb's last character, a space. */
const ROLE_MARK_END = charTable(`)]】头责合办与助实施${SPACE_CHARS}`);

interface RawUnit {
  name: string;
  start: number;
  end: number;
  lead: boolean;
  via: UnitHit["via"];
}

function rawUnit(unit: Omit<RawUnit, "via">, via: UnitHit["via"]): RawUnit {
  return { name: unit.name, start: unit.start, end: unit.end, lead: unit.lead, via };
}

/** Whether the plan (or one note) says that the first-listed unit of each item leads. */
export function declaresFirstListedLead(text: string): boolean {
  return text.includes("牵头") && FIRST_LEADS_RE.test(text);
}

/** Where a note's list stops: its closing bracket, the end of the sentence, or the line's end. */
function noteEnd(text: string, from: number): number {
  let depth = 0;
  const limit = Math.min(text.length, from + MAX_NOTE_LENGTH);
  for (let i = from; i < limit; i++) {
    const code = text.charCodeAt(i);
    if (IS_OPENER[code] === 1) depth++;
    else if (IS_CLOSER[code] === 1) {
      if (depth === 0) return i;
      depth--;
    } else if (code === FULL_STOP) return i;
    else if (code === NEWLINE && depth === 0 && !/[、,;:]\s*$/.test(text.slice(from, i))) return i;
  }
  return limit;
}

function isLeadRole(label: string): boolean {
  return label.includes("牵头");
}

/** A character every note label holds (one class: the engine scans for it faster than three indexOf). */
const NOTE_MARK_RE = /[:\[【]/;

/** Reads every labelled note in the text. */
function findNotes(text: string, options: FindUnitsOptions): RawUnit[] {
  // Speed: a label holds a bracket or a colon, and most texts have neither.
  if (!NOTE_MARK_RE.test(text)) return [];
  const units: RawUnit[] = [];
  let consumedUntil = 0;
  NOTE_LABEL_RE.lastIndex = 0;
  for (let m = NOTE_LABEL_RE.exec(text); m !== null; m = NOTE_LABEL_RE.exec(text)) {
    const at = m.index;
    if (at < consumedUntil) continue;
    const role = m[1] ?? m[2] ?? "";
    if (!m[1] && !hasKind(role) && !BARE_ROLE_RE.test(role)) continue;
    const end = noteEnd(text, at + m[0].length);
    consumedUntil = end;
    units.push(...readNote(text, at, end, options));
  }
  return units;
}

function hasKind(role: string): boolean {
  return NOTE_KIND_END_RE.test(role);
}

/** Reads one note from its first label to its end: labels switch the role of the names after them. */
function readNote(text: string, start: number, end: number, options: FindUnitsOptions): RawUnit[] {
  const units: RawUnit[] = [];
  let lead = false;
  let firstLeads = options.firstListedLeads === true;
  const note = text.slice(start, end);
  // Speed: a first-listed remark always says 牵头, and most notes have none to look for.
  const mayMarkFirst = note.includes("牵头");
  for (const piece of splitUnitList(note, start)) {
    let from = piece.start;
    const label = NOTE_LABEL_START_RE.exec(text.slice(from, piece.end));
    if (label) {
      lead = isLeadRole(label[0]);
      from += label[0].length;
    }
    let to = piece.end;
    const firstMark = mayMarkFirst ? FIRST_LEADS_RE.exec(text.slice(from, to)) : null;
    if (firstMark) {
      // "市财政局(排在第一位的为牵头单位)": the remark may trail the last name.
      firstLeads = true;
      const remark = text.slice(from, from + firstMark.index).search(/[(\[【][^(\[【]*$/);
      to = from + (remark >= 0 ? remark : firstMark.index);
    }
    if (text.slice(from, to).includes(":")) break;
    const unit = markedUnit(text, from, to, lead);
    if (unit && isPlausibleNoteName(unit.name)) units.push(rawUnit(unit, "note"));
  }
  const first = units[0];
  if (firstLeads && first) first.lead = true;
  return units;
}

/** The name in text[start, end) with its role mark removed ("市教育局(牵头)" → lead 市教育局). */
function markedUnit(text: string, start: number, end: number, lead: boolean): Omit<RawUnit, "via"> | null {
  const raw = text.slice(start, end);
  // Speed: most names end on none of the characters a role mark can end on.
  const mark = ROLE_MARK_END[raw.charCodeAt(raw.length - 1)] === 1 ? ROLE_MARK_RE.exec(raw) : null;
  const bareEnd = mark ? start + raw.slice(0, mark.index).replace(/[\s等]+$/, "").length : end;
  const name = withoutSpaces(text.slice(start, bareEnd));
  if (name.length === 0) return null;
  const role = mark ? (mark[1] ?? mark[2] ?? "") : "";
  return { name, start, end: bareEnd, lead: lead || role === "牵头" };
}

/** Words of a clause, not of a name: a note whose list runs on into a sentence. */
const NOTE_DEBRIS_RE = /^(?:无|暂无|待定|各相关|相关)$|负责|落实|开展|完成|报送|推进|做好|确保|按时|到位/;

/** Names in a labelled note are kept as written; only debris (a dash, "无", a clause) is dropped. */
function isPlausibleNoteName(name: string): boolean {
  if (name.length < 2 || name.length > MAX_NAME_LENGTH) return false;
  if (NOTE_DEBRIS_RE.test(name)) return false;
  return /^[\u4e00-\u9fff(\[【]/.test(name) && !/[。!?“”《》]/.test(name);
}

// ---------------------------------------------------------------------------------------------
// Bracketed notes without a label: "(市教育局牵头,各县区教育局配合)", "(市教育局、市财政局)"

/** Tried at each "(" in turn (sticky): the same matches as a left-to-right scan, found faster. */
const PAREN_GROUP_RE = /\(([^()\n]{2,120})\)/y;
/** A bare bracketed list counts only where an item ends: before 。 ; a line break, or the end. */
const ITEM_END_AFTER_RE = /^\s*(?:[。;]|\n|$)/;

function findBareNotes(text: string, options: FindUnitsOptions): RawUnit[] {
  const units: RawUnit[] = [];
  for (let open = text.indexOf("("); open >= 0; ) {
    PAREN_GROUP_RE.lastIndex = open;
    const m = PAREN_GROUP_RE.exec(text);
    open = text.indexOf("(", m === null ? open + 1 : open + m[0].length);
    if (m === null) continue;
    const inner = m[1]!;
    if (NOTE_LABEL_START_RE.test(inner) || inner.includes(":")) continue;
    const innerStart = m.index + 1;
    const parsed = readBareNote(text, innerStart, inner);
    if (!parsed) continue;
    const atItemEnd = ITEM_END_AFTER_RE.test(text.slice(m.index + m[0].length, m.index + m[0].length + 2));
    if (!parsed.hasRole && !(atItemEnd && parsed.units.some((u) => ADMIN_PREFIX_RE.test(u.name)))) continue;
    if (options.firstListedLeads && parsed.units[0]) parsed.units[0].lead = true;
    units.push(...parsed.units);
  }
  return units;
}

/** The units of a bracket whose every part is "names" or "names + 牵头/配合/负责"; else null. */
function readBareNote(text: string, offset: number, inner: string): { units: RawUnit[]; hasRole: boolean } | null {
  const units: RawUnit[] = [];
  let hasRole = false;
  for (const piece of splitUnitList(inner, offset)) {
    const unit = markedUnit(text, piece.start, piece.end, false);
    if (!unit || !looksLikeUnitName(unit.name)) return null;
    if (unit.end !== piece.end) hasRole = true;
    units.push(rawUnit(unit, "note"));
  }
  return units.length > 0 ? { units, hasRole } : null;
}

// ---------------------------------------------------------------------------------------------
// Sentences that assign: "X牵头", "发挥X牵头作用", "由X负责", "X负责落实", "X联合有关部门…"

/** 牵头 as a verb; "牵头学校", "牵头单位" are nouns (a kind of school, a label), not assignments. */
const LEAD_VERB_RE = /牵头(?!单位|部门|学校|校|园|人|科室|处室|机构)/g;
/** 负责 as a verb (负责人 / 负责制 / 负责任 are nouns and adjectives), and "具体落实" (carries out). */
const CHARGE_VERB_RE = /负责(?!人|制|任|同志)|具体(?:落实|实施|承办)/g;
/** 联合/会同 partners: the subject named before it organizes the joint action. */
const JOINT_VERB_RE = /联合|会同/g;
/** "由A牵头,B、C配合": a clause that is only names and 配合 gives the supporting units. */
const SUPPORT_VERB_RE = /(?:配合|协助|协办|参与)(?=[,;。)\n]|$)/g;
/** "有关部门", "相关单位": a reference to bodies, not a name; a sentence does not assign to it. */
const GENERIC_BODY_RE = /^各?(?:有关|相关|其他|其它|各级|各类)/;

/** Breaks between clauses; 、 is not one, as it joins the names of a list ("A、B牵头"). */
const CLAUSE_BREAK = ",;。:!?()[]【】“”《》\n";
/** Words before the subject that do not belong to the name. */
const LEADING_FILLER_RE =
  /^(?:(?:\d{4}|今|明|本)年度?(?:\d{1,2}月(?:底|末|份)?)?(?:前|起|内|底|末)?|年内|年底前|上半年|下半年|同时|此外|另外|并且|并|均)+/;
const LEADING_ROLE_VERB_RE = /^(?:充分|要|进一步)?发挥/;
const TRAILING_ADVERB_RE =
  /(?:要|将|应|须|积极|主动|继续|进一步|具体|全面|主要|统一|分别|共同|直接|切实|按职责分工|按职责)+$/;
/** What may follow the subject at the start of a sentence whose later clause says 牵头. */
const SUBJECT_FOLLOW_RE =
  /^(?:要|将|应|须|发挥|负责|牵头|组织|统筹|联合|会同|与|对|在|加强|做好|按|继续|进一步|积极|主动|认真|全面|着力|重点|充分|以|作为|承担)/;
/** Words allowed between a clause break and a subjectless 牵头. */
const SUBJECTLESS_LEAD_RE = /^(?:并|同时|还|要|负责)?$/;

/** Where the clause ending at `at` starts; a bracketed aside inside a name ("各县(区)教育局") is stepped over. */
function clauseStart(text: string, at: number): number {
  let i = at;
  let depth = 0;
  const limit = Math.max(0, at - MAX_SENTENCE_LOOKBACK);
  while (i > limit) {
    const c = text[i - 1]!;
    if (c === ")" || c === "]") depth++;
    else if ((c === "(" || c === "[") && depth > 0) depth--;
    else if (depth === 0 && CLAUSE_BREAK.includes(c)) break;
    i--;
  }
  return i;
}

function sentenceStart(text: string, at: number): number {
  let i = at;
  const limit = Math.max(0, at - MAX_SENTENCE_LOOKBACK);
  while (i > limit && !"。;!?\n".includes(text[i - 1]!)) i--;
  return i;
}

/**
 * The bodies written as the subject between `from` and `to`: fillers, time phrases and trailing
 * adverbs removed, everything before a 由 dropped. Null unless every listed name is a body.
 */
function subjectUnits(text: string, from: number, to: number, roleVerbOk: boolean): UnitName[] | null {
  let s = from;
  let e = to;
  const raw = text.slice(s, e);
  const by = raw.lastIndexOf("由");
  if (by >= 0) s += by + 1;
  let span = text.slice(s, e);
  const filler = LEADING_FILLER_RE.exec(span);
  if (filler) s += filler[0].length;
  span = text.slice(s, e);
  const roleVerb = roleVerbOk ? LEADING_ROLE_VERB_RE.exec(span) : null;
  if (roleVerb) s += roleVerb[0].length;
  span = text.slice(s, e);
  const adverb = TRAILING_ADVERB_RE.exec(span);
  if (adverb) e -= adverb[0].length;
  if (e - s < 2 || e - s > MAX_SUBJECT_LENGTH) return null;
  const names = splitUnitList(text.slice(s, e), s);
  if (names.length === 0) return null;
  if (!names.every((n) => looksLikeUnitName(n.name) && !GENERIC_BODY_RE.test(n.name))) return null;
  return names;
}

/** The body a sentence opens with, when a verb from SUBJECT_FOLLOW_RE comes right after it. */
function sentenceSubject(text: string, from: number, to: number): UnitName | null {
  let s = from;
  const filler = LEADING_FILLER_RE.exec(text.slice(s, to));
  if (filler) s += filler[0].length;
  const clause = text.slice(s, to);
  const firstBreak = [...clause].findIndex((c) => CLAUSE_BREAK.includes(c));
  const head = firstBreak >= 0 ? clause.slice(0, firstBreak) : clause;
  for (let p = Math.min(head.length, MAX_NAME_LENGTH); p >= 2; p--) {
    const name = head.slice(0, p);
    if (looksLikeUnitName(name) && SUBJECT_FOLLOW_RE.test(head.slice(p))) return { name, start: s, end: s + p };
  }
  return null;
}

function findSentences(text: string): RawUnit[] {
  const verbs = assigningVerbs(text);
  if (verbs.length === 0) return [];
  const units: RawUnit[] = [];
  const push = (names: UnitName[] | null, lead: boolean): void => {
    for (const n of names ?? []) units.push({ name: n.name, start: n.start, end: n.end, lead, via: "sentence" });
  };
  for (const verb of verbs) {
    if (verb.kind !== "lead") continue;
    const from = clauseStart(text, verb.at);
    const before = text.slice(from, verb.at);
    if (SUBJECTLESS_LEAD_RE.test(before)) {
      // "实验中学发挥领航学校作用,…,牵头组织开展联考": the subject opens the sentence.
      const subject = sentenceSubject(text, sentenceStart(text, from), from);
      if (subject) push([subject], true);
    } else {
      push(subjectUnits(text, from, verb.at, true), true);
    }
  }
  for (const kind of ["charge", "joint", "support"] as const) {
    for (const verb of verbs) {
      if (verb.kind === kind) push(subjectUnits(text, clauseStart(text, verb.at), verb.at, false), false);
    }
  }
  return units.length > 1 ? units.sort((a, b) => a.start - b.start) : units;
}

/**
 * Speed: the four verbs found in one scan. No match of one verb can overlap a match of another
 * (no word's tail is another's head), so the scan finds exactly what four scans would.
 */
const ASSIGNING_VERB_RE = new RegExp(
  `(?<lead>${LEAD_VERB_RE.source})|(?<charge>${CHARGE_VERB_RE.source})|(?<joint>${JOINT_VERB_RE.source})|(?<support>${SUPPORT_VERB_RE.source})`,
  "g",
);

type VerbKind = "lead" | "charge" | "joint" | "support";

function assigningVerbs(text: string): { kind: VerbKind; at: number }[] {
  const verbs: { kind: VerbKind; at: number }[] = [];
  ASSIGNING_VERB_RE.lastIndex = 0;
  for (let m = ASSIGNING_VERB_RE.exec(text); m !== null; m = ASSIGNING_VERB_RE.exec(text)) {
    const g = m.groups as Record<VerbKind, string | undefined>;
    const kind: VerbKind = g.lead !== undefined ? "lead" : g.charge !== undefined ? "charge" : g.joint !== undefined ? "joint" : "support";
    verbs.push({ kind, at: m.index });
  }
  return verbs;
}

// ---------------------------------------------------------------------------------------------
// Putting it together

/** One hit per name, at its first place; lead when any occurrence leads. Sorts `units` in place. */
function dedupe(units: RawUnit[]): UnitHit[] {
  if (units.length === 0) return [];
  const hit = (u: RawUnit): UnitHit => ({ name: u.name, start: u.start, end: u.end, lead: u.lead, via: u.via });
  if (units.length === 1) return [hit(units[0]!)]; // speed: the usual case
  const byName = new Map<string, UnitHit>();
  for (const u of units.sort((a, b) => a.start - b.start)) {
    const seen = byName.get(u.name);
    if (seen) seen.lead ||= u.lead;
    else byName.set(u.name, hit(u));
  }
  return [...byName.values()];
}

/**
 * Units named in one task's text (heading and body): 责任单位-style notes, bracketed
 * "(X牵头,Y配合)" notes, and sentences that assign (牵头, 负责, 由…, 联合/会同 partners).
 * Hits are in order of appearance, one per name. `start`/`end` cover the name in `text`; the
 * name differs from that slice only by whitespace removed from a name broken by a stray space.
 */
export function findUnits(text: string, options: FindUnitsOptions = {}): UnitHit[] {
  return dedupe(findNotes(text, options).concat(findBareNotes(text, options), findSentences(text)));
}

// ---------------------------------------------------------------------------------------------
// Table columns

/** Longest tail of a broken name at the start of a column line ("政府", "建设局"). */
const MAX_TAIL_FRAGMENT = 8;

/** A list item with its role mark removed: "市教育局(牵头)" → 市教育局, lead. */
function withoutRole(n: UnitName): UnitName & { lead: boolean } {
  const marked = markedUnit(n.name, 0, n.name.length, false);
  if (!marked || marked.name === n.name) return { ...n, lead: false };
  return { name: marked.name, start: n.start, end: n.start + marked.end, lead: marked.lead };
}

export function unitsFromColumn(lines: readonly ColumnLine[], options: FindUnitsOptions = {}): UnitHit[] {
  // Cut every line into list items; a line counts when all its items are names, except that its
  // first item may finish a name broken at the end of the line before ("县住房和城乡" / "建设局、
  // 县财政局") and its last may start one. Any other line breaks the run.
  const runs: (ColumnLine & { end: number; lead: boolean })[][] = [[]];
  for (const line of lines) {
    // A role mark in a cell ("市教育局(牵头)") makes that unit the lead.
    const items = splitUnitList(line.text, line.start).map(withoutRole);
    const ok =
      items.length > 0 &&
      items.every(
        (n, i) =>
          looksLikeUnitName(n.name) ||
          (i === 0 && !NEW_NAME_PREFIX_RE.test(n.name) && n.name.length <= MAX_TAIL_FRAGMENT) ||
          (i === 0 && CONTINUATION_START_RE.test(n.name)) ||
          (i === items.length - 1 && isNameHead(n.name)) ||
          (items.length === 1 && isNameHead(n.name)),
      );
    if (!ok) {
      runs.push([]);
      continue;
    }
    for (const n of items) runs[runs.length - 1]!.push({ text: n.name, start: n.start, end: n.end, lead: n.lead });
  }
  const units: RawUnit[] = [];
  for (const run of runs) {
    const texts = run.map((l) => l.text);
    for (const group of groupFragments(texts)) {
      const first = run[group[0]!]!;
      const last = run[group[group.length - 1]!]!;
      const name = withoutSpaces(joined(texts, group));
      if (!looksLikeUnitName(name)) continue;
      const lead = group.some((i) => run[i]!.lead);
      units.push({ name, start: first.start, end: last.end, lead, via: "column" });
    }
  }
  const hits = dedupe(units);
  if (options.firstListedLeads && hits[0]) hits[0].lead = true;
  return hits;
}

export { joinUnitFragments, looksLikeUnitName, splitUnitList, type UnitName } from "./unit-names.js";
