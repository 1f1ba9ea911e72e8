// The assessment (考核) of a period: each lead unit scored on the bulletin's measures by a
// scoring model the bureau sets (which indicators, how many points each). A unit's score is
// Σ weight × rate, with each number kept beside the evidence it comes from (bulletin.ts).
//
// An indicator a unit has nothing to be measured on (no task due yet, no KPI reported, no report
// due in the period) is left out for that unit and its points are shared among the unit's other
// indicators in proportion to their weights: a unit is neither rewarded nor punished for what was
// not asked of it. A unit with no indicator at all is listed without a score.
import { rank, type Bulletin, type BulletinPeriod, type Measure, type MeasureKey, MEASURE_KEYS } from "./bulletin.js";

export type IndicatorKey = MeasureKey;

/** Each indicator's name and how it is computed, as the documents print them. */
export const INDICATORS: { readonly [K in IndicatorKey]: { label: string; definition: string } } = {
  closeRate: { label: "办结率", definition: "已办结任务数 ÷ 纳入统计的任务数(截至统计时点累计)" },
  onTimeRate: { label: "按时办结率", definition: "在办理期限内办结的任务数 ÷ 应办结任务数(已办结的,加上已过办理期限仍未办结的)" },
  kpiAttainment: { label: "指标达成率", definition: "各量化指标截至统计时点最新报送值的达成度(超额按100%计)的平均值;未报送数值的指标不计入" },
  reportTimeliness: { label: "报送及时率", definition: "本期应报送进展中按时报送的次数 ÷ 本期应报送的次数" },
};

export interface ScoringModel {
  indicators: readonly { key: IndicatorKey; weight: number }[];
  fullMarks: number;
}

export const DEFAULT_SCORING_MODEL: ScoringModel = Object.freeze({
  indicators: Object.freeze([
    { key: "closeRate", weight: 30 },
    { key: "onTimeRate", weight: 30 },
    { key: "kpiAttainment", weight: 20 },
    { key: "reportTimeliness", weight: 20 },
  ] as const),
  fullMarks: 100,
});

/** What is wrong with a model, in words for the person who wrote it; empty when it is usable. */
export function scoringModelProblems(model: ScoringModel): string[] {
  const problems: string[] = [];
  if (!(Number.isFinite(model.fullMarks) && model.fullMarks > 0)) problems.push(`满分应为正数,现为 ${model.fullMarks}。`);
  if (model.indicators.length === 0) problems.push("至少要有一项考核指标。");
  const seen = new Set<string>();
  for (const { key, weight } of model.indicators) {
    if (!(MEASURE_KEYS as readonly string[]).includes(key)) {
      problems.push(`没有“${key}”这项指标,可选:${MEASURE_KEYS.map((known) => `${known}(${INDICATORS[known].label})`).join("、")}。`);
      continue;
    }
    if (seen.has(key)) problems.push(`指标“${INDICATORS[key].label}”重复了。`);
    seen.add(key);
    if (!(Number.isFinite(weight) && weight > 0)) problems.push(`指标“${INDICATORS[key].label}”的分值应为正数,现为 ${weight}。`);
  }
  const sum = model.indicators.reduce((total, indicator) => total + indicator.weight, 0);
  if (problems.length === 0 && Math.abs(sum - model.fullMarks) > WEIGHT_TOLERANCE) problems.push(`各项指标分值合计应为满分 ${model.fullMarks},现为 ${roundPoints(sum)}。`);
  return problems;
}

const WEIGHT_TOLERANCE = 1e-9;

/**
 * A model written as "closeRate:30,onTimeRate:30,kpiAttainment:20,reportTimeliness:20" (the key or
 * its Chinese name, ":" or "="), out of 100. Problems as scoringModelProblems gives them.
 */
export function parseScoringWeights(text: string): { model: ScoringModel; problems: [] } | { model: null; problems: string[] } {
  const indicators: { key: IndicatorKey; weight: number }[] = [];
  const problems: string[] = [];
  for (const part of text.split(/[,,;;]/).map((piece) => piece.trim()).filter((piece) => piece !== "")) {
    const match = /^([^:=:]+)[:=:]\s*(-?\d+(?:\.\d+)?)$/.exec(part);
    const name = match?.[1]?.trim() ?? "";
    const key = MEASURE_KEYS.find((known) => known === name || INDICATORS[known].label === name);
    if (!match || key === undefined) {
      problems.push(`“${part}”不是“指标:分值”的写法,指标可选:${MEASURE_KEYS.map((known) => `${known}(${INDICATORS[known].label})`).join("、")}。`);
      continue;
    }
    indicators.push({ key, weight: Number(match[2]) });
  }
  const model: ScoringModel = { indicators, fullMarks: DEFAULT_SCORING_MODEL.fullMarks };
  problems.push(...(problems.length === 0 ? scoringModelProblems(model) : []));
  return problems.length === 0 ? { model, problems: [] } : { model: null, problems };
}

export interface IndicatorScore {
  key: IndicatorKey;
  label: string;
  weight: number;
  /** The weight after the unit's inapplicable indicators' points were shared out; 0 when inapplicable. */
  appliedWeight: number;
  rate: number | null;
  /** appliedWeight × rate, to two decimals; null when inapplicable. */
  points: number | null;
  measure: Measure;
}

export interface UnitScore {
  unitId: string;
  name: string;
  /** The sum of the indicators' points (as printed); null when no indicator applies. */
  score: number | null;
  rank: number | null;
  indicators: IndicatorScore[];
}

export interface Assessment {
  period: BulletinPeriod;
  cutOff: Date;
  model: ScoringModel;
  /** Best first; units without a score last. Tasks without a lead unit are not assessed. */
  units: UnitScore[];
}

export function assess(bulletin: Bulletin, model: ScoringModel = DEFAULT_SCORING_MODEL): Assessment {
  const problems = scoringModelProblems(model);
  if (problems.length > 0) throw new RangeError(`invalid scoring model: ${problems.join(" ")}`);
  const order = new Map(bulletin.units.map((unit, index) => [unit.unitId, index]));
  const scored = bulletin.units.flatMap((unit): UnitScore[] => {
    if (unit.unitId === null) return [];
    const applicable = model.indicators.filter((indicator) => unit.measures[indicator.key].rate !== null);
    const applicableWeight = applicable.reduce((sum, indicator) => sum + indicator.weight, 0);
    const indicators = model.indicators.map(({ key, weight }): IndicatorScore => {
      const measure = unit.measures[key];
      const appliedWeight = measure.rate === null || applicableWeight === 0 ? 0 : (weight * model.fullMarks) / applicableWeight;
      const points = measure.rate === null ? null : roundPoints(appliedWeight * Math.min(measure.rate, 1));
      return { key, label: INDICATORS[key].label, weight, appliedWeight: roundPoints(appliedWeight), rate: measure.rate, points, measure };
    });
    // The sum of the rounded points, so the printed columns add up to the printed total.
    const score = applicable.length === 0 ? null : roundPoints(indicators.reduce((sum, indicator) => sum + (indicator.points ?? 0), 0));
    return [{ unitId: unit.unitId, name: unit.name, score, rank: null, indicators }];
  });
  const units = rank(
    scored,
    (a, b) => (b.score ?? 0) - (a.score ?? 0),
    (unit) => order.get(unit.unitId) ?? Number.MAX_SAFE_INTEGER,
    (unit) => unit.score !== null,
  );
  return { period: bulletin.period, cutOff: bulletin.cutOff, model, units };
}

/** Points to two decimals, as score sheets print them. */
export function roundPoints(points: number): number {
  return Math.round(points * 100) / 100;
}
