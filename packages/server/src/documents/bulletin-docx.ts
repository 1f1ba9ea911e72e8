// The bulletin (通报) as a Word document, laid out as GB/T 9704 lays out an official document: A4,
// margins 37/35/28/26 mm, the red 发文机关标志 and 发文字号 over a red line, a 小标宋 title,
// 仿宋 body at 16 pt on a fixed 28 pt line, 黑体 section headings, 落款 and date on the right,
// "— 1 —" page numbers. Written as plain OOXML (no template, no Word): the fonts are the ones
// bureaus use; a machine without them (LibreOffice on Linux) substitutes its own CJK font.
//
// The chart is a table: a row per unit, twenty narrow cells shaded in proportion to its close
// rate. Every word processor draws it the same, where a DrawingML chart needs Word to render.
import { zipSync, strToU8 } from "fflate";
import { formatPercent, type Bulletin, type UnitStanding } from "@taizhang/core";
import { typeset, type BulletinText } from "./bulletin-wording.js";

/** Half-points, as OOXML measures type: 2号 22 pt, 3号 16 pt, 4号 14 pt, 五号 10.5 pt. */
const SIZE = { issuer: 60, title: 44, body: 32, pageNumber: 28, table: 21 } as const;
const FONT = { xiaobiaosong: "方正小标宋简体", fangsong: "仿宋_GB2312", heiti: "黑体", kaiti: "楷体_GB2312", songti: "宋体" } as const;
/** Each font's nearest relative most machines have, for a word processor that reads altName. */
const FALLBACK: Record<string, string> = { [FONT.xiaobiaosong]: "宋体", [FONT.fangsong]: "仿宋", [FONT.heiti]: "SimHei", [FONT.kaiti]: "楷体", [FONT.songti]: "SimSun" };
const RED = "FF0000";
const BAR_COLOUR = "2E75B6";
const TOTAL_FILL = "F2F2F2";
const HEADER_FILL = "D9D9D9";
/** Twips (1/20 pt): A4, and GB/T 9704's margins (天头 37 mm, 订口 28 mm). */
const PAGE = { width: 11906, height: 16838, top: 2098, bottom: 1984, left: 1588, right: 1474, header: 851, footer: 992 } as const;
const TEXT_WIDTH = PAGE.width - PAGE.left - PAGE.right;
/** 28 pt: 22 lines to the page, as the standard asks (set per paragraph, not by a document grid, so tables stay compact). */
const LINE = 560;
const TITLE_LINE = 700;
const BAR_CELLS = 20;
/** Ten characters of a unit's name on one line ("市委教育工作领导小组"); the headers may wrap. */
const NAME_WIDTH = 2300;
const TABLE_COLUMNS = [
  { header: "单位", width: NAME_WIDTH },
  { header: "任务数", width: 700 },
  { header: "已办结", width: 700 },
  { header: "办结率", width: 860 },
  { header: "按时办结率", width: 960 },
  { header: "逾期未办结", width: 960 },
  { header: "红灯事项", width: 820 },
  { header: "指标达成率", width: 960 },
  { header: "排名", width: TEXT_WIDTH - NAME_WIDTH - 5960 },
] as const;

export const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

export function bulletinDocx(bulletin: Bulletin, text: BulletinText, options: { created: Date }): Uint8Array {
  const body = [
    paragraph([run(text.issuer, { font: FONT.xiaobiaosong, size: SIZE.issuer, color: RED })], { align: "center", line: null, after: 240 }),
    paragraph([run(text.docNumber)], { align: "center", border: RED }),
    paragraph([], {}),
    ...text.titleLines.map((line) => paragraph([run(line, { font: FONT.xiaobiaosong, size: SIZE.title })], { align: "center", line: TITLE_LINE })),
    paragraph([], {}),
    paragraph([run(text.salutation)], {}),
    bodyParagraph(text.opening),
    heading(text.headings.overall),
    ...text.overall.map((line) => bodyParagraph(line)),
    heading(text.headings.units),
    bodyParagraph(text.unitsIntro),
    standingsTable(bulletin),
    paragraph([run(typeset("附图:各单位办结率"), { font: FONT.heiti, size: SIZE.table })], { align: "center", before: 240, line: null }),
    barChart(bulletin.units.filter((unit) => unit.rank !== null)),
    heading(text.headings.problems),
    bodyParagraph(text.problemsIntro),
    ...text.problems.flatMap((group) => [paragraph([run(group.heading, { font: FONT.kaiti })], { indent: true, keepNext: true }), ...group.items.map((item) => bodyParagraph(item))]),
    heading(text.headings.next),
    ...text.requirements.map((line) => bodyParagraph(line)),
    ...text.notes.map((note) => paragraph([run(note, { size: SIZE.table })], { indent: true, line: null })),
    paragraph([], {}),
    paragraph([run(text.signature)], { align: "right", rightChars: 400 }),
    paragraph([run(text.date)], { align: "right", rightChars: 400 }),
  ];
  const document = `<w:document ${NS}><w:body>${body.join("")}${sectionProperties()}</w:body></w:document>`;
  return zipSync(
    {
      "[Content_Types].xml": xml(CONTENT_TYPES),
      "_rels/.rels": xml(PACKAGE_RELS),
      "docProps/core.xml": xml(coreProperties(text.title, options.created)),
      "word/document.xml": xml(document),
      "word/styles.xml": xml(STYLES),
      "word/fontTable.xml": xml(fontTable()),
      "word/settings.xml": xml(SETTINGS),
      "word/footer1.xml": xml(FOOTER),
      "word/_rels/document.xml.rels": xml(DOCUMENT_RELS),
    },
    { level: 6, mtime: options.created },
  );
}

interface RunStyle {
  font?: string;
  size?: number;
  color?: string;
  bold?: boolean;
}

function run(text: string, style: RunStyle = {}): string {
  const font = style.font ?? FONT.fangsong;
  const props = [
    `<w:rFonts w:ascii="${font}" w:hAnsi="${font}" w:eastAsia="${font}" w:cs="${font}"/>`,
    style.bold ? "<w:b/>" : "",
    style.color ? `<w:color w:val="${style.color}"/>` : "",
    style.size && style.size !== SIZE.body ? `<w:sz w:val="${style.size}"/><w:szCs w:val="${style.size}"/>` : "",
  ].join("");
  return `<w:r><w:rPr>${props}</w:rPr><w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r>`;
}

interface ParagraphStyle {
  /** On the same page as the next paragraph: a heading never ends a page. */
  keepNext?: boolean;
  align?: "left" | "center" | "right" | "both";
  /** First line indented two characters, as body text is. */
  indent?: boolean;
  /** Exact line height in twips; null: single spacing (for large type and tables). */
  line?: number | null;
  before?: number;
  after?: number;
  /** A rule under the paragraph, in this colour. */
  border?: string;
  /** Right indent in hundredths of a character (落款 stands four characters from the margin). */
  rightChars?: number;
}

function paragraph(runs: readonly string[], style: ParagraphStyle): string {
  const line = style.line === undefined ? LINE : style.line;
  const props = [
    style.keepNext ? "<w:keepNext/>" : "",
    style.border ? `<w:pBdr><w:bottom w:val="single" w:sz="8" w:space="6" w:color="${style.border}"/></w:pBdr>` : "",
    `<w:spacing w:before="${style.before ?? 0}" w:after="${style.after ?? 0}"${line === null ? ' w:line="240" w:lineRule="auto"' : ` w:line="${line}" w:lineRule="exact"`}/>`,
    style.indent ? '<w:ind w:firstLineChars="200" w:firstLine="640"/>' : "",
    style.rightChars ? `<w:ind w:rightChars="${style.rightChars}" w:right="${style.rightChars * 3.2}"/>` : "",
    `<w:jc w:val="${style.align ?? "both"}"/>`,
  ].join("");
  return `<w:p><w:pPr>${props}</w:pPr>${runs.join("")}</w:p>`;
}

function bodyParagraph(text: string, style: RunStyle = {}): string {
  return paragraph([run(text, style)], { indent: true });
}

function heading(text: string): string {
  return paragraph([run(text, { font: FONT.heiti })], { indent: true, keepNext: true });
}

function standingsTable(bulletin: Bulletin): string {
  const header = TABLE_COLUMNS.map((column) => cell(column.header, column.width, { bold: true, fill: HEADER_FILL }));
  const rows = [...bulletin.units, bulletin.totals].map((unit) => {
    const isTotal = unit === bulletin.totals;
    const values = [
      unit.name,
      String(unit.tasks),
      String(unit.closed),
      formatPercent(unit.measures.closeRate.rate),
      formatPercent(unit.measures.onTimeRate.rate),
      String(unit.overdueOpen),
      String(unit.red),
      formatPercent(unit.measures.kpiAttainment.rate),
      unit.rank === null ? "—" : String(unit.rank),
    ];
    return row(values.map((value, index) => cell(value, TABLE_COLUMNS[index]?.width ?? 0, { bold: isTotal, ...(isTotal && { fill: TOTAL_FILL }), align: index === 0 ? "left" : "center" })));
  });
  const grid = TABLE_COLUMNS.map((column) => `<w:gridCol w:w="${column.width}"/>`).join("");
  return table(grid, [row(header, true), ...rows], true);
}

/** A bar per ranked unit: its share of BAR_CELLS cells shaded, the rate written after it. */
function barChart(units: readonly UnitStanding[]): string {
  const nameWidth = NAME_WIDTH;
  const barWidth = 280;
  const valueWidth = TEXT_WIDTH - nameWidth - barWidth * BAR_CELLS;
  const grid = [nameWidth, ...Array<number>(BAR_CELLS).fill(barWidth), valueWidth].map((width) => `<w:gridCol w:w="${width}"/>`).join("");
  const rows = units.map((unit) => {
    const rate = unit.measures.closeRate.rate ?? 0;
    const shaded = Math.round(rate * BAR_CELLS);
    const bars = Array.from({ length: BAR_CELLS }, (_, index) => cell("", barWidth, { ...(index < shaded && { fill: BAR_COLOUR }), borders: false }));
    return row([cell(unit.name, nameWidth, { align: "right", borders: false }), ...bars, cell(formatPercent(unit.measures.closeRate.rate), valueWidth, { align: "left", borders: false })]);
  });
  if (rows.length === 0) return paragraph([run("(没有可排名的单位。)", { size: SIZE.table })], { align: "center", line: null });
  return table(grid, rows, false);
}

function table(grid: string, rows: readonly string[], borders: boolean): string {
  const lines = borders ? ["top", "left", "bottom", "right", "insideH", "insideV"].map((side) => `<w:${side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>`).join("") : "";
  return `<w:tbl><w:tblPr><w:tblW w:w="${TEXT_WIDTH}" w:type="dxa"/><w:jc w:val="center"/>${borders ? `<w:tblBorders>${lines}</w:tblBorders>` : ""}<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="60" w:type="dxa"/><w:right w:w="60" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>${grid}</w:tblGrid>${rows.join("")}</w:tbl>`;
}

function row(cells: readonly string[], header = false): string {
  return `<w:tr><w:trPr><w:cantSplit/>${header ? "<w:tblHeader/>" : ""}</w:trPr>${cells.join("")}</w:tr>`;
}

function cell(text: string, width: number, style: { bold?: boolean; fill?: string; align?: "left" | "center" | "right"; borders?: boolean }): string {
  const props = [
    `<w:tcW w:w="${width}" w:type="dxa"/>`,
    style.borders === false ? '<w:tcBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/></w:tcBorders>' : "",
    style.fill ? `<w:shd w:val="clear" w:color="auto" w:fill="${style.fill}"/>` : "",
    '<w:vAlign w:val="center"/>',
  ].join("");
  const content = text === "" ? "" : run(text, { size: SIZE.table, bold: style.bold ?? false });
  return `<w:tc><w:tcPr>${props}</w:tcPr>${paragraph([content], { align: style.align ?? "center", line: null, before: 40, after: 40 })}</w:tc>`;
}

function sectionProperties(): string {
  const { width, height, top, bottom, left, right, header, footer } = PAGE;
  return (
    '<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter"/>' +
    `<w:pgSz w:w="${width}" w:h="${height}"/><w:pgMar w:top="${top}" w:right="${right}" w:bottom="${bottom}" w:left="${left}" w:header="${header}" w:footer="${footer}" w:gutter="0"/>` +
    "</w:sectPr>"
  );
}

/** Text as XML character data: markup escaped, characters XML 1.0 cannot hold dropped. */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

function xml(body: string): Uint8Array {
  return strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${body}`);
}

const W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const NS = `xmlns:w="${W}" xmlns:r="${R}"`;

const CONTENT_TYPES =
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
  '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>' +
  '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>' +
  '<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>' +
  '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>' +
  '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
  "</Types>";

const PACKAGE_RELS =
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
  "</Relationships>";

const DOCUMENT_RELS =
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  `<Relationship Id="rIdStyles" Type="${R}/styles" Target="styles.xml"/>` +
  `<Relationship Id="rIdSettings" Type="${R}/settings" Target="settings.xml"/>` +
  `<Relationship Id="rIdFonts" Type="${R}/fontTable" Target="fontTable.xml"/>` +
  `<Relationship Id="rIdFooter" Type="${R}/footer" Target="footer1.xml"/>` +
  "</Relationships>";

/** 仿宋 16 pt, Chinese as the language (a substituting word processor then picks Simplified glyphs). */
const STYLES =
  `<w:styles xmlns:w="${W}"><w:docDefaults><w:rPrDefault><w:rPr>` +
  `<w:rFonts w:ascii="${FONT.fangsong}" w:hAnsi="${FONT.fangsong}" w:eastAsia="${FONT.fangsong}" w:cs="${FONT.fangsong}"/>` +
  `<w:sz w:val="${SIZE.body}"/><w:szCs w:val="${SIZE.body}"/><w:lang w:val="zh-CN" w:eastAsia="zh-CN" w:bidi="ar-SA"/>` +
  "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl/><w:jc w:val=\"both\"/></w:pPr></w:pPrDefault></w:docDefaults>" +
  '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>' +
  '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>' +
  "</w:styles>";

const SETTINGS = `<w:settings xmlns:w="${W}"><w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>`;

/** 页码: 4号 宋体, "— 1 —", centred. */
const FOOTER =
  `<w:ftr ${NS}><w:p><w:pPr><w:jc w:val="center"/></w:pPr>` +
  `<w:r><w:rPr><w:rFonts w:ascii="${FONT.songti}" w:hAnsi="${FONT.songti}" w:eastAsia="${FONT.songti}"/><w:sz w:val="${SIZE.pageNumber}"/></w:rPr><w:t xml:space="preserve">— </w:t></w:r>` +
  `<w:r><w:rPr><w:rFonts w:ascii="${FONT.songti}" w:hAnsi="${FONT.songti}" w:eastAsia="${FONT.songti}"/><w:sz w:val="${SIZE.pageNumber}"/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r>` +
  '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>' +
  `<w:r><w:rPr><w:sz w:val="${SIZE.pageNumber}"/></w:rPr><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>` +
  `<w:r><w:rPr><w:rFonts w:ascii="${FONT.songti}" w:hAnsi="${FONT.songti}" w:eastAsia="${FONT.songti}"/><w:sz w:val="${SIZE.pageNumber}"/></w:rPr><w:t xml:space="preserve"> —</w:t></w:r>` +
  "</w:p></w:ftr>";

function fontTable(): string {
  const fonts = Object.values(FONT).map((name) => `<w:font w:name="${name}"><w:altName w:val="${FALLBACK[name] ?? FONT.songti}"/><w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>`);
  return `<w:fonts xmlns:w="${W}">${fonts.join("")}</w:fonts>`;
}

function coreProperties(title: string, created: Date): string {
  const when = created.toISOString().replace(/\.\d{3}Z$/, "Z");
  return (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${escapeXml(title)}</dc:title><dc:creator>taizhang</dc:creator>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified>` +
    "</cp:coreProperties>"
  );
}
