// Golden files: a fixture folder holds input files next to their reviewed expected output
// (NAME.expected.json). Updating them is an explicit step whose diff is reviewed:
//   UPDATE_GOLDEN=1 npx vitest run packages/core/test/golden.test.ts

import { readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Plan } from "@taizhang/core";

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
