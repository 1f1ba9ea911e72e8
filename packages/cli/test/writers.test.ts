import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import type { Deadline, Plan, Section, Target, Task } from "@taizhang/core";
import { planOutline, planToMarkdown } from "../src/markdown-writer.js";
import { planToXlsx, sheetName } from "../src/xlsx-writer.js";

// Writers never look at offsets, so the fixture leaves them at 0.
const AT = { start: 0, end: 0 };

function section(path: string, title: string): Section {
  return { path, title, ...AT, line: 1 };
}

function deadline(quote: string, date: string): Deadline {
  return { quote, date, ...AT };
}

function target(quote: string, value: number, unit: string, value_max?: number): Target {
  const bound = value_max === undefined ? "level" : "range";
  return { quote, value, unit, bound, ...AT, ...(value_max === undefined ? {} : { value_max }) };
}

function task(path: string, title: string, fields: Partial<Task>): Task {
  const number = path.split("/").pop() as string;
  return {
    path, number, title, measures: 0, units: [], lead_units: [], deadlines: [], targets: [],
    ...AT, line: 1, title_start: 0, title_end: 0, unit_refs: [], ...fields,
  };
}

function plan(title: string, fields: Partial<Plan> = {}): Plan {
  return {
    source: "fixture.txt", part: 1, title, issuer: null, doc_number: null, year: null, date: null,
    sections: [], tasks: [], ...AT, ...fields,
  };
}

const WORK_PLAN = plan("某市教育局2024年工作要点", {
  issuer: "某市教育局",
  doc_number: "某教发〔2024〕1号",
  year: 2024,
  sections: [section("一", "全面加强党的建设"), section("二", "推进教育优质均衡发展"), section("二/(一)", "扩大学前教育资源")],
  tasks: [
    task("一/1", "深入学习贯彻\n党的二十大精神", {
      measures: 3,
      units: ["市教育局党组", "各区县教育局"],
      lead_units: ["市教育局党组"],
      deadlines: [deadline("6月底前完成", "2024-06-30"), deadline("年底前", "2024-12-31")],
      targets: [target("培训党员干部不少于500人次", 500, "人次")],
    }),
    task("一/2", "加强基层党组织建设", {
      units: ["机关党委"],
      deadlines: [deadline("9月底前完成", "2024-09-30"), deadline("9月底前", "2024-09-30")],
    }),
    task("二/(一)/1", "扩大普惠性学前教育资源", {
      measures: 2,
      units: ["市教育局", "市发展改革委", "市财政局"],
      lead_units: ["市教育局"],
      deadlines: [deadline("秋季开学前", "2024-08-31")],
      targets: [
        target("新增公办园学位3000个", 3000, "个"),
        target("普惠性幼儿园覆盖率提高2-3个百分点", 2, "个百分点", 3),
      ],
    }),
  ],
});

async function readBack(plans: Plan[]): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  // exceljs types its input as an ArrayBuffer, so hand it a copy of the bytes as one.
  await workbook.xlsx.load(Uint8Array.from(await planToXlsx(plans)).buffer);
  return workbook;
}

function rowTexts(sheet: ExcelJS.Worksheet, row: number): unknown[] {
  return [1, 2, 3, 4, 5, 6, 7].map((c) => sheet.getCell(row, c).value);
}

describe("planToXlsx", () => {
  it("lays out title, header, section bands and task rows", async () => {
    const sheet = (await readBack([WORK_PLAN])).worksheets[0] as ExcelJS.Worksheet;
    expect(sheet.name).toBe("某市教育局2024年工作要点");
    expect(sheet.getCell("A1").value).toBe("某市教育局2024年工作要点");
    expect(sheet.getCell("A1").font.bold).toBe(true);
    expect(rowTexts(sheet, 2)).toEqual(["序号", "工作任务", "具体措施", "责任单位", "牵头单位", "完成时限", "量化目标"]);
    expect(sheet.getCell("A3").value).toBe("一 全面加强党的建设");
    expect(rowTexts(sheet, 4)).toEqual([
      "一/1", "深入学习贯彻 党的二十大精神", 3, "市教育局党组、各区县教育局", "市教育局党组",
      "2024年6月30日、2024年12月31日", "培训党员干部不少于500人次",
    ]);
    expect(sheet.getCell("C4").numFmt).toBe('0"项"');
    // No measures: an empty cell; the same date twice is shown once.
    expect(rowTexts(sheet, 5)).toEqual(["一/2", "加强基层党组织建设", null, "机关党委", "", "2024年9月30日", ""]);
    expect(sheet.getCell("A6").value).toBe("二 推进教育优质均衡发展");
    expect(sheet.getCell("A7").value).toBe("(一) 扩大学前教育资源");
    expect(sheet.getCell("A7").alignment.indent).toBe(1);
    expect(rowTexts(sheet, 8)).toEqual([
      "二/(一)/1", "扩大普惠性学前教育资源", 2, "市教育局、市发展改革委、市财政局", "市教育局",
      "2024年8月31日", "新增公办园学位3000个；普惠性幼儿园覆盖率提高2-3个百分点",
    ]);
    expect(sheet.rowCount).toBe(8);
  });

  it("merges the title and section rows across all columns", async () => {
    const sheet = (await readBack([WORK_PLAN])).worksheets[0] as ExcelJS.Worksheet;
    expect([...sheet.model.merges].sort()).toEqual(["A1:G1", "A3:G3", "A6:G6", "A7:G7"]);
    expect(sheet.getCell("G3").master.address).toBe("A3");
    expect(sheet.getCell("A3").fill).toMatchObject({ pattern: "solid", fgColor: { argb: "FFDDEBF7" } });
    expect(sheet.getCell("B4").isMerged).toBe(false);
  });

  it("freezes the header and prints landscape A4 fitted to width", async () => {
    const sheet = (await readBack([WORK_PLAN])).worksheets[0] as ExcelJS.Worksheet;
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 2 });
    expect(sheet.pageSetup).toMatchObject({ orientation: "landscape", paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
    expect(sheet.getColumn(2).width).toBe(36);
    expect(sheet.getCell("B4").alignment.wrapText).toBe(true);
    expect(sheet.getCell("B4").border.left).toEqual({ style: "thin" });
  });

  it("names sheets legally and uniquely, and says when a plan has no tasks", async () => {
    const long = "某某省某某市某某区教育局关于印发2024年全区教育系统安全生产工作要点的通知";
    const workbook = await readBack([
      WORK_PLAN,
      plan("工作要点:任务分解[试行]/草案*?\\"),
      plan("某市教育局2024年工作要点"),
      plan(long),
      plan(long),
      plan("  "),
    ]);
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      "某市教育局2024年工作要点",
      "工作要点任务分解试行草案",
      "某市教育局2024年工作要点(2)",
      long.slice(0, 31),
      long.slice(0, 28) + "(2)",
      "未命名计划",
    ]);
    const empty = workbook.worksheets[1] as ExcelJS.Worksheet;
    expect(empty.getCell("A1").value).toBe("工作要点:任务分解[试行]/草案*?\\");
    expect(empty.getCell("A3").value).toBe("（未识别出任务）");
    expect(empty.getCell("G3").master.address).toBe("A3");
    expect(empty.rowCount).toBe(3);
  });

  it("still writes an openable workbook for no plans", async () => {
    const workbook = await readBack([]);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(["无计划"]);
    expect(workbook.worksheets[0]?.getCell("A3").value).toBe("（未识别出计划）");
  });
});

describe("sheetName", () => {
  it("compares names ignoring case, avoids History and keeps surrogate pairs whole", () => {
    const used = new Set(["history"]);
    expect(sheetName("Plan", used)).toBe("Plan");
    expect(sheetName("PLAN", used)).toBe("PLAN(2)");
    expect(sheetName("History", used)).toBe("History(2)");
    expect(sheetName("'计划'", used)).toBe("计划");
    expect(sheetName("一".repeat(30) + "𠀀", used)).toBe("一".repeat(30));
  });
});

describe("planOutline", () => {
  it("puts each section before its first task and keeps empty sections in place", () => {
    const outline = planOutline(plan("x", {
      sections: [section("一", "a"), section("二", "b"), section("三", "c"), section("四", "d")],
      tasks: [task("1", "intro", {}), task("三/1", "t", {})],
    }));
    expect(outline.map((r) => (r.kind === "task" ? r.task.path : `§${r.section.path}`))).toEqual(
      ["1", "§一", "§二", "§三", "三/1", "§四"],
    );
  });
});

describe("planToMarkdown", () => {
  it("writes the outline exactly", () => {
    expect(planToMarkdown([WORK_PLAN, plan("空计划\n(草案)")])).toBe(`# 某市教育局2024年工作要点

发文机关：某市教育局；文号：某教发〔2024〕1号；年度：2024

## 一 全面加强党的建设

- **1** 深入学习贯彻 党的二十大精神
  - 责任单位：市教育局党组（牵头）、各区县教育局
  - 完成时限：2024年6月30日（6月底前完成）；2024年12月31日（年底前）
  - 量化目标：培训党员干部不少于500人次 → 500人次
  - 措施：3项
- **2** 加强基层党组织建设
  - 责任单位：机关党委
  - 完成时限：2024年9月30日（9月底前完成）；2024年9月30日（9月底前）

## 二 推进教育优质均衡发展

### (一) 扩大学前教育资源

- **1** 扩大普惠性学前教育资源
  - 责任单位：市教育局（牵头）、市发展改革委、市财政局
  - 完成时限：2024年8月31日（秋季开学前）
  - 量化目标：新增公办园学位3000个 → 3000个；普惠性幼儿园覆盖率提高2-3个百分点 → 2-3个百分点
  - 措施：2项

# 空计划 (草案)

（未识别出任务）
`);
  });

  it("lists a lead named only as lead, and says so for no plans", () => {
    const p = plan("t", { tasks: [task("1", "任务", { units: ["甲"], lead_units: ["乙"] })] });
    expect(planToMarkdown([p])).toBe("# t\n\n- **1** 任务\n  - 责任单位：甲、乙（牵头）\n");
    expect(planToMarkdown([])).toBe("（未识别出计划）\n");
  });
});
