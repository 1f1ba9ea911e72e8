import { readFileSync } from "node:fs";
import path from "node:path";
import { parsePlanFile } from "@taizhang/core";
import { describe, expect, it } from "vitest";
import { fixtureInputs, goldenOf, readGolden, updating, writeGolden } from "./golden.js";

for (const folder of ["seeds", "plans"]) {
  describe(`golden: ${folder}`, () => {
    for (const input of fixtureInputs(folder)) {
      it(path.basename(input), () => {
        const { plans } = parsePlanFile(readFileSync(input), { source: path.basename(input) });
        const actual = goldenOf(plans);
        if (updating) writeGolden(input, actual);
        const expected = readGolden(input);
        expect(expected, `no golden file for ${input}: run with UPDATE_GOLDEN=1 and review the diff`).not.toBeNull();
        expect(actual).toBe(expected);
      });
    }
  });
}
