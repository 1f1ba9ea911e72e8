// Golden files: a fixture folder holds input files next to their reviewed expected output
// (NAME.expected.json). Updating them is an explicit step whose diff is reviewed:
//   UPDATE_GOLDEN=1 npx vitest run packages/core/test/golden.test.ts

import { readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Plan } from "@taizhang/core";
import { expect } from "vitest";

export const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));

/** Input files of a fixture folder (plan texts; other formats join as their readers land). */
export function fixtureInputs(folder: string): string[] {
  const dir = path.join(FIXTURES, folder);
  return readdirSync(dir)
    .filter((f) => f.endsWith(".txt"))
    .sort()
    .map((f) => path.join(dir, f));
}

export function expectedPath(input: string): string {
  return input.replace(/\.[^.]+$/, ".expected.json");
}

/** The plans as the golden file records them: the Plan JSON with every offset. */
export function goldenOf(plans: readonly Plan[]): string {
  return JSON.stringify(plans, null, 2) + "\n";
}

export function readGolden(input: string): string | null {
  const file = expectedPath(input);
  return existsSync(file) ? readFileSync(file, "utf8") : null;
}

export function writeGolden(input: string, content: string): void {
  writeFileSync(expectedPath(input), content);
}

export const updating = process.env.UPDATE_GOLDEN === "1";

/**
 * A format fixture's golden: FILE.expected.json beside it. The format stays in the name, as
 * 002-table is a .docx, .pdf, .xlsx, .csv and .html at once. Missing → the test fails.
 */
export function expectFormatGolden(file: string, plans: readonly Plan[]): void {
  const golden = `${file}.expected.json`;
  const actual = goldenOf(plans);
  if (updating) writeFileSync(golden, actual);
  expect(existsSync(golden), `no golden file for ${path.basename(file)}: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
  expect(readFileSync(golden, "utf8")).toBe(actual);
}

/** Every deadline's and target's quote is the text at its offsets. */
export function expectQuotesAtOffsets(plans: readonly Plan[], text: string): void {
  for (const task of plans.flatMap((p) => p.tasks)) {
    for (const hit of [...task.deadlines, ...task.targets]) expect(text.slice(hit.start, hit.end)).toBe(hit.quote);
  }
}

/** The fields a task is compared on between two readings of one plan; quotes and offsets are left to the goldens. */
export function taskFields(t: Pick<Plan["tasks"][number], "path" | "title" | "measures" | "units" | "lead_units"> & {
  deadlines: readonly Pick<Plan["tasks"][number]["deadlines"][number], "date">[];
  targets: readonly { value: number; value_max?: number; unit: string }[];
}) {
  return {
    path: t.path,
    title: t.title,
    measures: t.measures,
    units: t.units,
    lead_units: t.lead_units,
    deadlines: t.deadlines.map((d) => d.date),
    targets: t.targets.map((x) => ({ value: x.value, ...(x.value_max !== undefined ? { value_max: x.value_max } : {}), unit: x.unit })),
  };
}
