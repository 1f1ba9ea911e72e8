// Hand-annotated plans of shapes the seeds do not have (office blocks, lead/partner columns, flat
// 一、 lists, ①② measures, 一是 news items, 责任科室 notes, (一) tasks, one-line table rows, an
// 实施方案 frame, a plan with its 分解表 annex, combined notes, a GB18030 county plan, section-level
// notes, a provincial 要点 with run-in "：" titles, a dotted 目录 with running headers, a two-column
// 分工表, a 督办清单 with (1) tasks, a government web page with its 信息公开 chrome). Each
// fixtures/plans/NAME.txt is checked against its reviewed NAME.gold.json (Plan JSON,
// ../shared/gold/SCHEMA.md), field by field, so a failure names the plan, the task and the field
// that differ. Decisions: fixtures/plans/NOTES.md.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { type Deadline, type Plan, parsePlanFile, type Section, type Target, type Task } from "@taizhang/core";
import { describe, expect, it } from "vitest";
import { FIXTURES, taskFields } from "./golden.js";

/** Plan JSON as SCHEMA.md defines it: our Plan without offsets and extras. */
type GoldTarget = Pick<Target, "quote" | "value" | "value_max" | "unit">;
type GoldTask = Pick<Task, "path" | "number" | "title" | "measures" | "units" | "lead_units"> & {
  deadlines: Pick<Deadline, "quote" | "date">[];
  targets: GoldTarget[];
};
type GoldPlan = Pick<Plan, "source" | "part" | "title" | "issuer" | "doc_number" | "year"> & {
  sections: Pick<Section, "path" | "title">[];
  tasks: GoldTask[];
};

const DIR = path.join(FIXTURES, "plans");

/** Fixtures that have a gold annotation next to them. */
function annotated(): string[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith(".txt") && existsSync(path.join(DIR, f.replace(/\.txt$/, ".gold.json"))))
    .sort();
}


function header(p: GoldPlan | Plan) {
  return { title: p.title, issuer: p.issuer, doc_number: p.doc_number, year: p.year };
}

const files = annotated();

describe("annotated plans", () => {
  it("has the twenty-six fixtures of the briefs", () => {
    expect(files).toEqual([
      "circled-measures.txt",
      "city-keypoints-2025.txt",
      "combined-notes.txt",
      "county-ledger-table.txt",
      "county-notes.txt",
      "dept-responsibility.txt",
      "flat-cn-only.txt",
      "gb18030-county.txt",
      "html-copy.txt",
      "implementation-plan.txt",
      "lead-columns-table.txt",
      "mixed-numbering.txt",
      "news-report.txt",
      "noisy-web.txt",
      "office-blocks.txt",
      "one-line-rows.txt",
      "paren-tasks.txt",
      "province-style.txt",
      "school-plan.txt",
      "section-notes.txt",
      "speech-style.txt",
      "supervision-list.txt",
      "targets-heavy.txt",
      "toc-dots.txt",
      "two-column-table.txt",
      "two-plans.txt",
    ]);
  });
});

for (const file of files) {
  const gold = JSON.parse(readFileSync(path.join(DIR, file.replace(/\.txt$/, ".gold.json")), "utf8")) as GoldPlan[];
  const { plans } = parsePlanFile(readFileSync(path.join(DIR, file)), { source: file });

  describe(file, () => {
    it("finds one plan per annotated plan", () => {
      expect(plans.map((p) => p.part)).toEqual(gold.map((g) => g.part));
    });

    for (const g of gold) {
      const got = plans.find((p) => p.part === g.part);
      const label = `part ${g.part}`;

      it(`${label}: title, issuer, doc_number, year`, () => {
        expect(got).toBeDefined();
        expect(header(got as Plan)).toEqual(header(g));
      });

      it(`${label}: sections`, () => {
        expect(got?.sections.map((s) => ({ path: s.path, title: s.title })) ?? []).toEqual(g.sections);
      });

      it(`${label}: task paths`, () => {
        expect(got?.tasks.map((t) => t.path) ?? []).toEqual(g.tasks.map((t) => t.path));
      });

      g.tasks.forEach((expected, i) => {
        it(`${label}: task ${expected.path} (#${i + 1})`, () => {
          // Paired by path (by position among repeats); failing that by position, so a wrong path
          // still shows every other field of the task that stands where the expected one should.
          const samePath = g.tasks.slice(0, i).filter((t) => t.path === expected.path).length;
          const task = got?.tasks.filter((t) => t.path === expected.path)[samePath] ?? got?.tasks[i];
          expect(task, `no task at ${expected.path} or position ${i + 1}`).toBeDefined();
          expect(taskFields(task as Task)).toEqual(taskFields(expected));
        });
      });
    }
  });
}
