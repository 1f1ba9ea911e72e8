import { describe, expect, it } from "vitest";
import { type Metadata, type MetadataInput, readMetadata } from "../src/metadata.js";
import { readLines } from "../src/read.js";

type Texts = Partial<Record<"wrapper" | "intro" | "tail" | "body" | "chrome", string>>;

/** Metadata of a plan whose parts are given as texts, one line per "\n". */
function read(title: string, texts: Texts = {}, titled = true): Metadata {
  const input: MetadataInput = {
    title,
    titled,
    wrapper: readLines(texts.wrapper ?? ""),
    intro: readLines(texts.intro ?? ""),
    tail: readLines(texts.tail ?? ""),
    body: readLines(texts.body ?? ""),
    chrome: readLines(texts.chrome ?? ""),
  };
  return readMetadata(input);
}

const UNTITLED_YEAR = "全市教育工作要点";

describe("readMetadata: 文号", () => {
  it.each([
    ["〔〕", "衡政办函〔2023〕21号", "衡政办函〔2023〕21号", 2023],
    ["【】", "营教发【2024】12号", "营教发【2024】12号", 2024],
    ["[] with 第", "甲教发[2022]第5号", "甲教发[2022]第5号", 2022],
    ["()", "甲教发(2021)5号", "甲教发(2021)5号", 2021],
    ["spaced, spaces removed", "甲教发 〔 2022 〕 5 号", "甲教发〔2022〕5号", 2022],
    ["followed by other words", "甲教办〔2020〕8号          签发人:张三", "甲教办〔2020〕8号", 2020],
  ])("reads a 文号 in %s at the start of a line", (_, line, docNumber, year) => {
    expect(read(UNTITLED_YEAR, { wrapper: `各学校:\n${line}` })).toMatchObject({ doc_number: docNumber, year });
  });

  it("reads a 文号 from the first lines after the title", () => {
    expect(read(UNTITLED_YEAR, { intro: "甲教发〔2021〕7号\n各学校:" }).doc_number).toBe("甲教发〔2021〕7号");
  });

  it("does not take a 文号 cited inside a sentence", () => {
    const wrapper = "根据中共湖南省委、湖南省人民政府《关于进一步提高义务教育质量的意见》(湘发〔2023〕3号)精神,结合我市实际,现印发给你们。";
    expect(read(UNTITLED_YEAR, { wrapper })).toEqual({ issuer: null, doc_number: null, year: null, date: null });
  });

  it("does not look for a 文号 in the body", () => {
    expect(read(UNTITLED_YEAR, { body: "甲教发〔2021〕7号\n甲教发〔2021〕7号" }).doc_number).toBeNull();
  });
});

describe("readMetadata: issuer", () => {
  it("joins the bodies of a signature line before a date line with 、", () => {
    expect(read(UNTITLED_YEAR, { tail: "营口市教育局   营口市财政局\n2024年3月1日" })).toEqual({
      issuer: "营口市教育局、营口市财政局",
      doc_number: null,
      year: 2024,
      date: "2024-03-01",
    });
  });

  it("reads a signature in the wrapper", () => {
    expect(read(UNTITLED_YEAR, { wrapper: "现印发给你们,请认真贯彻执行。\n衡阳市人民政府办公室\n2023年6月8日" })).toEqual({
      issuer: "衡阳市人民政府办公室",
      doc_number: null,
      year: 2023,
      date: "2023-06-08",
    });
  });

  it.each([
    ["a sentence", "请认真贯彻执行\n2024年3月1日"],
    ["a body with sentence words", "市教育局负责\n2024年3月1日"],
    ["no date after it", "甲市教育局\n抄送:市政府办公室"],
  ])("takes no signature from %s", (_, tail) => {
    expect(read(UNTITLED_YEAR, { tail }).issuer).toBeNull();
  });

  it.each([
    ["衡阳市人民政府办公室 关于印发《衡阳市任务清单》的通知", "衡阳市人民政府办公室"],
    ["甲市教育局关于印发2024年工作要点的通知", "甲市教育局"],
    ["甲县教育和体育局关于下发《2024年工作要点》的通知", "甲县教育和体育局"],
    ["关于印发《衡阳市任务清单》的通知", null],
    ["市委市政府高度重视,关于印发…的通知已转发", null],
  ])("reads the issuer of a notice header: %s", (wrapper, issuer) => {
    expect(read(UNTITLED_YEAR, { wrapper }).issuer).toBe(issuer);
  });

  it.each([
    ["市教育局2024年工作要点", "市教育局"],
    ["甲县教育和体育局2024年工作要点", "甲县教育和体育局"],
    ["乙区教体局2023年工作要点", "乙区教体局"],
    ["2024年全市教育工作要点", null],
    ["全市教育系统2024年工作要点", null],
  ])("reads the issuer from the title %s", (title, issuer) => {
    expect(read(title).issuer).toBe(issuer);
  });

  it("takes the bureau named in a news report's lead only when the report has no plan title", () => {
    const intro = "23日,记者从全市教育工作会议上获悉,今年,哈尔滨市教育局将深化教育体制机制改革。";
    expect(read("哈市召开2023年教育工作会议", { intro }, false).issuer).toBe("哈尔滨市教育局");
    expect(read("2023年全市教育工作要点", { intro }, true).issuer).toBeNull();
  });

  it("prefers the signature to the notice header, and the notice header to the title", () => {
    const wrapper = "甲市人民政府办公室关于印发《甲市教育局2024年工作要点》的通知\n各县区:";
    expect(read("甲市教育局2024年工作要点", { wrapper, tail: "甲市教育局   甲市财政局\n2024年3月1日" }).issuer).toBe("甲市教育局、甲市财政局");
    expect(read("甲市教育局2024年工作要点", { wrapper }).issuer).toBe("甲市人民政府办公室");
  });
});

describe("readMetadata: year", () => {
  it("takes the year of the title before the 文号 and the date", () => {
    const wrapper = "甲教发〔2023〕5号\n甲市教育局\n2023年12月30日";
    expect(read("2024年全市教育工作要点", { wrapper, body: "2025年完成。2025年推开。" })).toEqual({
      issuer: "甲市教育局",
      doc_number: "甲教发〔2023〕5号",
      year: 2024,
      date: "2023-12-30",
    });
  });

  it("takes the year of the 文号 before the date", () => {
    expect(read(UNTITLED_YEAR, { wrapper: "甲教发〔2023〕5号\n甲市教育局\n2024年1月3日" }).year).toBe(2023);
  });

  it("takes the year of the signing date", () => {
    expect(read(UNTITLED_YEAR, { tail: "甲市教育局\n2024年1月3日", body: "2025年完成。2025年推开。" }).year).toBe(2024);
  });

  it("takes the year and date of the page's publishing time", () => {
    expect(read(UNTITLED_YEAR, { chrome: "发布时间:2022-07-19 10:55 来源:市政府", body: "2025年完成。2025年推开。" })).toMatchObject({
      year: 2022,
      date: "2022-07-19",
    });
  });

  it.each([
    ["the most common year", "到2024年底完成。\n2023年启动,2024年全面推开。", 2024],
    ["a year named once is not enough", "2024年全面推开。", null],
    ["a tie keeps the year seen first", "2024年完成。2023年启动。2023年部署。2024年推开。", 2024],
    ["years inside ranges are not counted", "2022-2024年\n2022-2024年\n2023年启动。", null],
  ])("falls back on the body: %s", (_, body, year) => {
    expect(read(UNTITLED_YEAR, { body }).year).toBe(year);
  });

  it("leaves everything empty when nothing names it", () => {
    expect(read(UNTITLED_YEAR)).toEqual({ issuer: null, doc_number: null, year: null, date: null });
  });
});
