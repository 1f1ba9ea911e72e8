// Invariants over every fixture: the encoding and line endings a plan arrives in change nothing;
// output is deterministic; every quote stands in the source at its offsets.

import { readFileSync } from "node:fs";
import path from "node:path";
import iconv from "iconv-lite";
import { type Plan, decode, parsePlanFile, parsePlanText } from "@taizhang/core";
import { describe, expect, it } from "vitest";
import { fixtureInputs } from "./golden.js";

const inputs = [...fixtureInputs("seeds"), ...fixtureInputs("plans")];

/** What a plan says, without where it says it. */
function shape(plans: readonly Plan[]) {
  return plans.map((p) => ({
    title: p.title,
    issuer: p.issuer,
    doc_number: p.doc_number,
    year: p.year,
    sections: p.sections.map((s) => [s.path, s.title]),
    tasks: p.tasks.map((t) => ({
      path: t.path,
      title: t.title,
      measures: t.measures,
      units: t.units,
      lead: t.lead_units,
      deadlines: t.deadlines.map((d) => [d.quote, d.date]),
      targets: t.targets.map((g) => [g.quote, g.value, g.value_max, g.unit]),
    })),
  }));
}

const squash = (s: string) => s.normalize("NFKC").replace(/\s+/g, "");

describe.each(inputs.map((f) => [path.basename(f), f]))("%s", (name, file) => {
  // Variants are made from the text as decoded, so a GB18030 fixture gets its UTF-8 variant too.
  const text = decode(readFileSync(file)).decoded?.text ?? "";
  const bytes = Buffer.from(text, "utf8");
  const base = parsePlanFile(readFileSync(file), { source: name });

  it("yields plans", () => {
    expect(base.plans.length).toBeGreaterThan(0);
  });

  it("is deterministic", () => {
    const again = parsePlanFile(readFileSync(file), { source: name });
    expect(JSON.stringify(again)).toBe(JSON.stringify(base));
  });

  it.each([
    ["UTF-8 with BOM", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes])],
    ["GB18030", iconv.encode(text, "gb18030")],
    ["UTF-16LE with BOM", iconv.encode(text, "utf-16le", { addBOM: true })],
    ["UTF-16BE with BOM", Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, "utf-16be")])],
    ["UTF-16LE without BOM", iconv.encode(text, "utf-16le")],
  ])("gives the same plans from %s", (_, variant) => {
    const result = parsePlanFile(variant, { source: name });
    expect(result.plans).toEqual(base.plans);
  });

  it.each([
    ["CRLF", text.replace(/\n/g, "\r\n")],
    ["CR", text.replace(/\n/g, "\r")],
    ["full-width forms", text.replace(/[0-9(),:]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))],
  ])("gives the same plans with %s", (_, variant) => {
    const result = parsePlanText(variant, { source: name });
    expect(squashShape(shape(result.plans))).toEqual(squashShape(shape(base.plans)));
  });

  it("finds every quote at its offsets", () => {
    for (const plan of base.plans) {
      for (const task of plan.tasks) {
        for (const d of task.deadlines) expect(text.slice(d.start, d.end)).toBe(d.quote);
        for (const t of task.targets) expect(text.slice(t.start, t.end)).toBe(t.quote);
        for (const u of task.unit_refs) expect(squash(text.slice(u.start, u.end)), u.name).toBe(squash(u.name));
        expect(squash(text.slice(task.title_start, task.title_end))).toBe(squash(task.title));
        expect(task.start).toBeLessThanOrEqual(task.title_start);
        expect(task.end).toBeGreaterThanOrEqual(task.title_end);
      }
      for (const s of plan.sections) expect(squash(text.slice(s.start, s.end))).toBe(squash(s.title));
    }
  });
});

/** Full-width variants differ only in the width of what is quoted. */
function squashShape(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (_, v) => (typeof v === "string" ? squash(v) : v));
}
