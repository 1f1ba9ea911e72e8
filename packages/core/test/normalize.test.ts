import { describe, expect, it } from "vitest";
import { normalize, toSource, toSourceEnd } from "../src/normalize.js";
import { readLines } from "../src/read.js";

describe("normalize: one spelling of everything", () => {
  it.each([
    ["full-width digits, brackets and ASCII punctuation", "２０２４年（一）：ＡＢ，；！？", "2024年(一):AB,;!?"],
    ["CRLF and lone CR", "一、加强\r\n二、推进\r三、深化\n四、保障", "一、加强\n二、推进\n三、深化\n四、保障"],
    ["BOM and zero-width characters", "\ufeff2024年\u200b工作\u200c要\u200d点\u2060", "2024年工作要点"],
    ["parenthesized numerals ⑴–⒇", "⑴开展⑵推进⒇完成", "(1)开展(2)推进(20)完成"],
    ["numerals with a full stop ⒈–⒛", "⒈开展⒉推进⒛完成", "1.开展2.推进20.完成"],
    ["ideographic, no-break and thin spaces", "\u3000\u3000一、\u00a0加强\u2002党\u202f建\u205f工作", "  一、 加强 党 建 工作"],
    ["Chinese punctuation stays", "、。“”《》〔〕【】——", "、。“”《》〔〕【】——"],
  ])("%s", (_, source, expected) => {
    expect(normalize(source).text).toBe(expected);
  });

  it("records no shift when every replacement keeps its length", () => {
    expect(normalize("（一）加强\u3000党建１２").shifts).toEqual([]);
    expect(normalize("一、加强党建\n1.强化理论武装").shifts).toEqual([]);
  });

  it("leaves normalized text as it is", () => {
    const once = normalize("\ufeff（一）⑴⒈\r\n加强\u200b").text;
    expect(normalize(once)).toEqual({ text: once, shifts: [] });
  });
});

describe("toSource: quotes lead back to the source as written", () => {
  const SOURCE =
    "\ufeff2024年全市教育工作要点\r\n一、加强\u200b党的建设\r\n⑴开展培训，６月底前完成。\r⒉推进改革\r\n（责任单位：市教育局）";
  const n = normalize(SOURCE);

  it("normalizes the sample as expected", () => {
    expect(n.text).toBe("2024年全市教育工作要点\n一、加强党的建设\n(1)开展培训,6月底前完成。\n2.推进改革\n(责任单位:市教育局)");
  });

  it.each([
    ["right after the BOM", "2024年全市教育工作要点", "2024年全市教育工作要点"],
    ["after a CRLF", "一、", "一、"],
    ["across a removed zero-width space", "加强党的建设", "加强\u200b党的建设"],
    ["an expanded ⑴", "(1)开展培训", "⑴开展培训"],
    ["full-width forms", "开展培训,6月底前完成", "开展培训，６月底前完成"],
    ["after an expansion and a full-width comma", "6月底前完成", "６月底前完成"],
    ["an expanded ⒉ after a lone CR", "2.推进改革", "⒉推进改革"],
    ["after ⒉", "推进改革", "推进改革"],
    ["the last line, after CRLFs and expansions", "(责任单位:市教育局)", "（责任单位：市教育局）"],
    ["a unit name inside it", "市教育局", "市教育局"],
  ])("%s", (_, quote, original) => {
    const s = n.text.indexOf(quote);
    expect(s).toBeGreaterThanOrEqual(0);
    expect(SOURCE.slice(toSource(n, s), toSource(n, s + quote.length))).toBe(original);
  });

  it("maps the whole text to the source without its BOM", () => {
    expect(SOURCE.slice(toSource(n, 0), toSource(n, n.text.length))).toBe(SOURCE.slice(1));
  });

  it("maps every line to the same line of the source", () => {
    const sourceLines = SOURCE.slice(1).split(/\r\n?|\n/);
    const mapped = readLines(n.text).map((l) => SOURCE.slice(toSource(n, l.start), toSource(n, l.end)));
    expect(mapped).toEqual(sourceLines);
  });

  it("is the identity when nothing shifted", () => {
    const plain = normalize("一、加强党建\n（一）强化");
    expect([0, 3, 7, 11].map((o) => toSource(plain, o))).toEqual([0, 3, 7, 11]);
  });

  // A removed character belongs to neither neighbour: a quote that ends right before a zero-width
  // space does not take it along (ends map with toSourceEnd, starts with toSource).
  it("does not take a removed zero-width space into a quote that ends before it", () => {
    const source = "1.强化理论学习,6月底前完成\u200b。";
    const z = normalize(source);
    const s = z.text.indexOf("6月底前完成");
    expect(source.slice(toSource(z, s), toSourceEnd(z, s + 6))).toBe("6月底前完成");
  });

  // Offsets inside a longer replacement ("(1)" for "⑴") map to its start, never backwards.
  it("maps offsets inside an expansion to its start, never backwards", () => {
    const z = normalize("开展⑴⒈x");
    expect(z.text).toBe("开展(1)1.x");
    expect([...Array(z.text.length + 1).keys()].map((o) => toSource(z, o))).toEqual([0, 1, 2, 2, 2, 3, 3, 4, 5]);
  });
});
