// The data every stage passes on. Offsets are UTF-16 indexes into a string; which string is said
// at each type: `Source.text` (the decoded document as written, BOM removed) or the normalized
// text that rules run on (see normalize.ts for the map between the two).

/** A range of the source text, with the 1-based line and column of its start. */
export interface Place {
  start: number;
  end: number;
  line: number;
  column: number;
}

export type Severity = "error" | "warning" | "info";

export interface Diagnostic {
  /** Stable code, listed in diagnostics.ts. */
  code: string;
  severity: Severity;
  /** Chinese, for the clerk who reads it. */
  message: string;
  place?: Place;
}

/** A hit found by an extractor inside one string: offsets are relative to that string. */
export interface Hit {
  start: number;
  end: number;
}

export interface DeadlineHit extends Hit {
  /** The words that state the time node, e.g. "6月底前完成". */
  quote: string;
  /** ISO date, the last day of the stated period. */
  date: string;
}

export interface TargetHit extends Hit {
  /** The phrase that states the target, e.g. "新增公办园和普惠性民办园50所". */
  quote: string;
  value: number;
  value_max?: number;
  /** Measure word ("所", "个百分点", "%", "元"). */
  unit: string;
  /** How the number binds: a floor ("不少于"), a ceiling ("不超过"), a range, or a plain level. */
  bound: "floor" | "ceiling" | "range" | "level";
}

export interface UnitHit extends Hit {
  /** The body's name as written, trimmed ("市教育局"). */
  name: string;
  /** Explicitly marked as lead (牵头). */
  lead: boolean;
  /** What made it a unit: a 责任单位 note, a sentence that assigns (…牵头负责), a table column, a block heading. */
  via: "note" | "sentence" | "column" | "block";
}

/** Deadlines, targets and units carry their place in the source text. */
export interface Deadline {
  quote: string;
  date: string;
  start: number;
  end: number;
}

export interface Target {
  quote: string;
  value: number;
  value_max?: number;
  unit: string;
  bound: TargetHit["bound"];
  start: number;
  end: number;
}

export interface UnitRef {
  name: string;
  lead: boolean;
  via: UnitHit["via"];
  start: number;
  end: number;
}

export interface Section {
  /** Section numbers joined by "/": "三/(一)". */
  path: string;
  title: string;
  start: number;
  end: number;
  line: number;
}

export interface Task {
  path: string;
  /** Own number as written, digits only. */
  number: string;
  title: string;
  /** Count of explicit sub-items (1)(2)… or ①②…. */
  measures: number;
  units: string[];
  lead_units: string[];
  deadlines: Deadline[];
  targets: Target[];
  /** Where the whole item stands in the source, and where its title does. */
  start: number;
  end: number;
  line: number;
  title_start: number;
  title_end: number;
  unit_refs: UnitRef[];
}

/** One plan document in the Plan JSON interchange format (../shared/gold/SCHEMA.md), with extras. */
export interface Plan {
  source: string;
  part: number;
  title: string;
  issuer: string | null;
  doc_number: string | null;
  year: number | null;
  /** Signing or publishing date, ISO, when the document states one. */
  date: string | null;
  sections: Section[];
  tasks: Task[];
  /** Where the plan body stands in the source. */
  start: number;
  end: number;
}

export interface ParseResult {
  plans: Plan[];
  diagnostics: Diagnostic[];
}
