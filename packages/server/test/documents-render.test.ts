// The bulletin and assessment documents of the demo bureau, opened by LibreOffice: converted to
// PDF (soffice --headless), their text read back (pdftotext) and checked for the numbers the API
// gives, the fonts checked for a CJK face (no boxes), and the pages written as PNG to
// docs/screenshots/bulletin-*.png for people to look at (pdftoppm).
//
// Needs LibreOffice Writer and Calc and poppler-utils (Debian: libreoffice-writer-nogui
// libreoffice-calc-nogui poppler-utils fonts-noto-cjk); scripts/test-all.sh installs them.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createPGlite, migrate, wrapPGlite, type DatabaseHandle } from "@taizhang/store";
import { CSRF_HEADER, DEMO_PASSWORD, SESSION_COOKIE, TEST_SCRYPT, buildApp, seedDemo } from "../src/index.js";
import { DEMO_NOW } from "./bulletin-demo.js";

const run = promisify(execFile);
const SCREENSHOTS = fileURLToPath(new URL("../../../docs/screenshots/", import.meta.url));
const OFFICE_TIMEOUT_MS = 90_000;
const REQUIRED_TOOLS = ["soffice", "pdftotext", "pdftoppm", "pdffonts"];
/** What fontconfig gives a Chinese text on Linux; a PDF without one of these shows boxes. */
const CJK_FONT = /CJK|WenQuanYi|wqy|Droid ?Sans ?Fallback|SourceHan|Source ?Han|AR ?PL|Zen ?Hei/i;

interface Standing {
  name: string;
  tasks: number;
  closed: number;
  red: number;
  rank: number | null;
  measures: { closeRate: { rate: number | null } };
}

let handle: DatabaseHandle;
let dir: string;

beforeAll(async () => {
  handle = wrapPGlite(await createPGlite());
  await migrate(handle.db);
  dir = await mkdtemp(join(tmpdir(), "taizhang-render-"));
}, 120_000);

afterAll(async () => {
  await handle?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const flat = (text: string) => text.replace(/\s+/g, "");
const percent = (rate: number | null) => (rate === null ? "—" : `${(Math.round(rate * 1000) / 10).toFixed(1)}%`);

async function tools(): Promise<void> {
  const missing: string[] = [];
  for (const tool of REQUIRED_TOOLS) await run("which", [tool]).catch(() => missing.push(tool));
  if (missing.length > 0) throw new Error(`缺少 ${missing.join("、")}:请安装 libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-noto-cjk(scripts/test-all.sh 会安装)。`);
}

/** soffice with its own profile, so parallel runs (and a desktop LibreOffice) do not collide. */
async function toPdf(files: readonly string[]): Promise<void> {
  const profile = `file://${join(dir, "profile")}`;
  await run("soffice", [`-env:UserInstallation=${profile}`, "--headless", "--norestore", "--convert-to", "pdf", "--outdir", dir, ...files], { timeout: OFFICE_TIMEOUT_MS });
}

async function pdfText(pdf: string): Promise<string> {
  return (await run("pdftotext", ["-layout", pdf, "-"], { maxBuffer: 16 * 1024 * 1024 })).stdout;
}

async function expectCjkFont(pdf: string): Promise<void> {
  const fonts = (await run("pdffonts", [pdf])).stdout;
  expect(fonts, `${pdf} has no CJK font: Chinese would show as boxes`).toMatch(CJK_FONT);
}

/** Pages as PNG at 60 dpi into docs/screenshots, named `${name}-N.png` (older ones replaced); returns the files. */
async function screenshots(pdf: string, name: string, lastPage?: number): Promise<string[]> {
  const ours = (files: readonly string[]) => files.filter((file) => new RegExp(`^${name}-\\d+\\.png$`).test(file));
  for (const old of ours(await readdir(SCREENSHOTS))) await rm(join(SCREENSHOTS, old));
  await run("pdftoppm", ["-png", "-r", "60", ...(lastPage ? ["-l", String(lastPage)] : []), pdf, join(SCREENSHOTS, name)]);
  return ours(await readdir(SCREENSHOTS));
}

test("the demo bulletin (.docx, .xlsx) and assessment (.xlsx) open in LibreOffice and show the API's numbers", async () => {
  await tools();
  await seedDemo(handle.db, { now: DEMO_NOW, passwordParams: TEST_SCRYPT });
  const app = buildApp({ db: handle.db, now: () => DEMO_NOW, passwordParams: TEST_SCRYPT });
  try {
    await app.ready();
    const login = await app.inject({ method: "POST", url: "/api/login", payload: { login: "admin", password: DEMO_PASSWORD } });
    const cookie = login.cookies.find((candidate) => candidate.name === SESSION_COOKIE)?.value ?? "";
    const get = (url: string) => app.inject({ method: "GET", url, cookies: { [SESSION_COOKIE]: cookie }, headers: { [CSRF_HEADER]: "" } });
    const bulletin = (await get("/api/bulletins/2026-11")).json() as { text: { titleLines: string[]; problems: { items: string[] }[] }; units: Standing[]; totals: Standing };
    const assessment = (await get("/api/assessment/2026-11")).json() as { units: { name: string; score: number | null }[] };
    const files = { bulletin: join(dir, "bulletin.docx"), data: join(dir, "bulletin-data.xlsx"), scores: join(dir, "assessment.xlsx") };
    for (const [file, url] of [
      [files.bulletin, "/api/bulletins/2026-11/docx"],
      [files.data, "/api/bulletins/2026-11/xlsx"],
      [files.scores, "/api/assessment/2026-11/xlsx"],
    ] as const) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(200);
      await writeFile(file, response.rawPayload);
    }

    await toPdf(Object.values(files));
    const pdf = { bulletin: join(dir, "bulletin.pdf"), data: join(dir, "bulletin-data.pdf"), scores: join(dir, "assessment.pdf") };

    // The bulletin: title, every unit with its counts and close rate, the red items, the totals.
    const document = flat(await pdfText(pdf.bulletin));
    for (const line of bulletin.text.titleLines) expect(document).toContain(flat(line));
    expect(document).toContain("一、总体情况");
    expect(document).toContain("四、下一步要求");
    for (const unit of [...bulletin.units, bulletin.totals]) {
      // A row of the table, as the PDF reads it: name, tasks, closed, close rate.
      expect(document).toContain(flat(`${unit.name}${unit.tasks}${unit.closed}${percent(unit.measures.closeRate.rate)}`));
    }
    for (const item of bulletin.text.problems.flatMap((group) => group.items)) expect(document).toContain(flat(item).slice(0, 12));
    expect(bulletin.totals.red).toBeGreaterThan(0);
    await expectCjkFont(pdf.bulletin);

    // The bulletin's workbook: every unit and the totals row.
    const data = flat(await pdfText(pdf.data));
    for (const unit of bulletin.units) expect(data).toContain(flat(`${unit.rank ?? "—"}${unit.name}${unit.tasks}${unit.closed}`));
    await expectCjkFont(pdf.data);

    // The score sheet: every unit with its score to two decimals.
    const scores = flat(await pdfText(pdf.scores));
    expect(scores).toContain("示例市教育局2026年11月重点工作考核得分表");
    for (const unit of assessment.units) {
      expect(unit.score).not.toBeNull();
      expect(scores).toContain(unit.name);
      expect(scores).toContain((unit.score ?? 0).toFixed(2));
    }
    await expectCjkFont(pdf.scores);

    const written = [
      ...(await screenshots(pdf.bulletin, "bulletin-docx")),
      ...(await screenshots(pdf.data, "bulletin-xlsx", 1)),
      ...(await screenshots(pdf.scores, "bulletin-assessment", 1)),
    ];
    expect(written).toContain("bulletin-docx-1.png");
    expect(written).toContain("bulletin-assessment-1.png");
  } finally {
    await app.close();
  }
}, 180_000);
