import { describe, expect, it } from "vitest";
import { DEFAULT_SCORING_MODEL, assess, parseScoringWeights, scoringModelProblems, type Assessment, type ScoringModel } from "../src/assessment.js";
import { computeBulletin, parseBulletinPeriod } from "../src/bulletin.js";
import { A, B, NOW, monthOfTasks } from "./bulletin-fixture.js";

function march() {
  const period = parseBulletinPeriod("2025-03");
  if (!period) throw new Error("period");
  return computeBulletin({ period, tasks: monthOfTasks(), now: NOW });
}

function scoreOf(assessment: Assessment, unitId: string) {
  const unit = assessment.units.find((candidate) => candidate.unitId === unitId);
  if (!unit) throw new Error(`no unit ${unitId}`);
  return unit;
}

describe("scoring models", () => {
  it("the default is 30/30/20/20 out of 100, and valid", () => {
    expect(DEFAULT_SCORING_MODEL.indicators.map((indicator) => [indicator.key, indicator.weight])).toEqual([
      ["closeRate", 30],
      ["onTimeRate", 30],
      ["kpiAttainment", 20],
      ["reportTimeliness", 20],
    ]);
    expect(scoringModelProblems(DEFAULT_SCORING_MODEL)).toEqual([]);
  });

  it.each<[string, ScoringModel, RegExp]>([
    ["weights that do not add up to full marks", { fullMarks: 100, indicators: [{ key: "closeRate", weight: 60 }, { key: "onTimeRate", weight: 30 }] }, /合计应为满分 100,现为 90/],
    ["an unknown indicator", { fullMarks: 100, indicators: [{ key: "speed" as "closeRate", weight: 100 }] }, /没有“speed”这项指标/],
    ["an indicator twice", { fullMarks: 100, indicators: [{ key: "closeRate", weight: 50 }, { key: "closeRate", weight: 50 }] }, /“办结率”重复了/],
    ["a negative weight", { fullMarks: 100, indicators: [{ key: "closeRate", weight: 120 }, { key: "onTimeRate", weight: -20 }] }, /“按时办结率”的分值应为正数/],
    ["no indicator", { fullMarks: 100, indicators: [] }, /至少要有一项考核指标/],
    ["no full marks", { fullMarks: 0, indicators: [{ key: "closeRate", weight: 0 }] }, /满分应为正数/],
  ])("refuses %s", (_, model, problem) => {
    expect(scoringModelProblems(model).join(" ")).toMatch(problem);
    expect(() => assess(march(), model)).toThrow(RangeError);
  });

  it("reads weights written by key or Chinese name", () => {
    expect(parseScoringWeights("办结率=40, onTimeRate:40;指标达成率:20")).toEqual({
      model: {
        fullMarks: 100,
        indicators: [
          { key: "closeRate", weight: 40 },
          { key: "onTimeRate", weight: 40 },
          { key: "kpiAttainment", weight: 20 },
        ],
      },
      problems: [],
    });
    expect(parseScoringWeights("办结率=40,速度=60").problems.join("")).toMatch(/“速度=60”不是“指标:分值”的写法/);
    expect(parseScoringWeights("办结率=40").problems.join("")).toMatch(/合计应为满分 100,现为 40/);
  });
});

describe("scores", () => {
  const assessment = assess(march());

  it("Σ weight × rate, an inapplicable indicator's points shared among the unit's others", () => {
    // 基础教育科: 办结 3/4, 按时 2/4, 指标 100%, no report due: 80 points of weight scaled to 100.
    const a = scoreOf(assessment, A.id);
    expect(a.indicators.map((indicator) => [indicator.key, indicator.rate, indicator.appliedWeight, indicator.points])).toEqual([
      ["closeRate", 0.75, 37.5, 28.13],
      ["onTimeRate", 0.5, 37.5, 18.75],
      ["kpiAttainment", 1, 25, 25],
      ["reportTimeliness", null, 0, null],
    ]);
    expect(a.score).toBe(71.88);
    // 人事科: 办结 0/1, nothing due, 指标 40%, 报送 2/4.
    const b = scoreOf(assessment, B.id);
    expect(b.indicators.map((indicator) => indicator.points)).toEqual([0, null, 11.43, 14.29]);
    expect(b.score).toBe(25.72);
  });

  it("the printed points add up to the printed score", () => {
    for (const unit of assessment.units) {
      const sum = unit.indicators.reduce((total, indicator) => total + (indicator.points ?? 0), 0);
      expect(unit.score).toBeCloseTo(sum, 10);
    }
  });

  it("keeps the evidence behind each number", () => {
    const closeRate = scoreOf(assessment, A.id).indicators[0]?.measure;
    expect(closeRate?.items.map((item) => [item.task.id, item.counted])).toEqual([
      ["t1", true],
      ["t2", true],
      ["t3", false],
      ["t8", true],
    ]);
    expect(closeRate).toMatchObject({ numerator: 3, denominator: 4 });
  });

  it("ranks by score and leaves tasks without a lead unit unassessed", () => {
    expect(assessment.units.map((unit) => [unit.name, unit.rank])).toEqual([
      ["基础教育科", 1],
      ["人事科", 2],
    ]);
  });

  it("another model gives other scores; a unit with no applicable indicator gets none", () => {
    const byClosing = assess(march(), { fullMarks: 100, indicators: [{ key: "closeRate", weight: 100 }] });
    expect(byClosing.units.map((unit) => [unit.name, unit.score])).toEqual([
      ["基础教育科", 75],
      ["人事科", 0],
    ]);
    const byReports = assess(march(), { fullMarks: 100, indicators: [{ key: "reportTimeliness", weight: 100 }] });
    expect(byReports.units.map((unit) => [unit.name, unit.score, unit.rank])).toEqual([
      ["人事科", 50, 1],
      ["基础教育科", null, null],
    ]);
  });
});
