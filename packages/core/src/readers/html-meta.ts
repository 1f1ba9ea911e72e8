// What a page says about the document it carries: <meta> tags (ArticleTitle, PubDate, ContentSource),
// the 信息公开 fields (文号, 发文机关, 成文日期), 发布时间 lines and the article's title.

import type { AnyNode, ParentNode } from "domhandler";
import type { DocumentMeta } from "../document.js";
import { looksLikeUnitName } from "../unit-names.js";
import {
  type Page,
  type Stats,
  fold,
  HAN_RE,
  isChromeText,
  isElement,
  isText,
  isTrailer,
  MAX_CHROME_TEXT,
  MAX_SMALL_SUBTREE,
  named,
  numberOf,
  spaced,
  subtreeSize,
  TITLE_NAMES,
} from "./html-page.js";
import { cleanLine, isInfoTable, plainLines, rawText, tableRows } from "./html-blocks.js";

// ---------------------------------------------------------------------------------------------
// Meta: <meta> tags, the 信息公开 fields, the title

/** Labels of the fields a page states about its document, longest first where one ends another. */
const FIELD_LABELS = ["信息来源", "文章来源", "发文字号", "发文机关", "发布机构", "发文单位", "成文日期", "发布日期", "发布时间", "索引号", "来源", "文号"];
const FIELD_RE = new RegExp(`(${spaced(FIELD_LABELS)})\\s*:\\s*`, "g");
const FIELD_AT_RE = new RegExp(FIELD_RE.source);
const FIELD_ALONE_RE = new RegExp(`^(${spaced(FIELD_LABELS)})\\s*:?$`);
/** Where a field's value ends on a line that carries more ("来源:市政府 浏览量:12 【字号:大 中 小】"). */
const VALUE_END_RE = /\s*(?:\||【?\s*(?:浏览|点击|阅读|作者|字号|字体|分享|打印|责任编辑|编辑\s*:))/;
const DATE_RE = /((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})/;
const MAX_TITLE_LENGTH = 200;
/** A title inside the article stands at its top: among its first few elements. */
const MAX_TITLE_OFFSET = 3;

export function readMeta(dom: ParentNode, page: Page, root: ParentNode): DocumentMeta {
  const tags = metaTags(dom);
  // Label and value in cells of their own only in an info table; "label:value" on any short line.
  const fields = new Map<string, string>();
  for (const table of page.order) if (table.name === "table" && isInfoTable(tableRows(table, page), page)) readFields(plainLines(table, page), true, fields);
  readFields(plainLines(dom, page), false, fields);
  const meta: DocumentMeta = {};
  const title = tags.get("articletitle") ?? tags.get("og:title") ?? findTitle(tags.get("<title>") ?? "", page, root);
  if (title) meta.title = title;
  const date = isoDate(tags.get("pubdate")) ?? isoDate(fields.get("发布时间")) ?? isoDate(fields.get("发布日期")) ?? isoDate(fields.get("成文日期"));
  if (date) meta.date = date;
  const docNumber = fields.get("文号") ?? fields.get("发文字号");
  if (docNumber && /\d/.test(docNumber) && docNumber.length <= 40) meta.docNumber = docNumber;
  const issuer = [fields.get("发文机关"), fields.get("发布机构"), fields.get("发文单位"), tags.get("contentsource"), fields.get("来源"), fields.get("信息来源"), fields.get("文章来源")]
    .map((v) => v?.trim())
    .find((v) => v && v.split(/[\s、]+/).every(looksLikeUnitName));
  if (issuer) meta.issuer = issuer;
  return meta;
}

function metaTags(dom: ParentNode): Map<string, string> {
  const tags = new Map<string, string>();
  const stack: AnyNode[] = [];
  for (const child of dom.children) stack.push(child);
  while (stack.length) {
    const node = stack.pop() as AnyNode;
    if (!isElement(node)) continue;
    if (node.name === "body") continue;
    if (node.name === "meta") {
      const key = (node.attribs["name"] ?? node.attribs["property"] ?? "").toLowerCase();
      const value = cleanLine(rawText(node.attribs["content"] ?? "", false));
      if (key && value && !tags.has(key)) tags.set(key, value);
    } else if (node.name === "title" && !tags.has("<title>")) {
      tags.set("<title>", cleanLine(rawText(node.children.filter(isText).map((t) => t.data).join(""), false)));
    }
    for (const child of node.children) stack.push(child);
  }
  return tags;
}

function readFields(lines: readonly string[], pairs: boolean, fields: Map<string, string>): void {
  const set = (label: string, value: string) => {
    const cut = fold(value).search(VALUE_END_RE);
    const v = (cut >= 0 ? value.slice(0, cut) : value).trim();
    const key = squeeze(label);
    if (v && !fields.has(key)) fields.set(key, key.endsWith("来源") ? (v.split(" ")[0] as string) : v);
  };
  for (const [i, line] of lines.entries()) {
    const alone = FIELD_ALONE_RE.exec(fold(line));
    const next = lines[i + 1];
    if (alone) {
      if (pairs && next && !FIELD_AT_RE.test(fold(next)) && !FIELD_ALONE_RE.test(fold(next))) set(alone[1] as string, next);
      continue;
    }
    // A page's field lines are short; a body sentence that cites a 来源 is no field of the page.
    if (line.length > MAX_CHROME_TEXT) continue;
    const hits = [...fold(line).matchAll(FIELD_RE)];
    for (const [k, m] of hits.entries()) {
      const start = (m.index ?? 0) + m[0].length;
      set(m[1] as string, line.slice(start, hits[k + 1]?.index ?? line.length));
    }
  }
}

function isoDate(value: string | undefined): string | null {
  const m = value ? DATE_RE.exec(fold(value)) : null;
  if (!m) return null;
  const [month, day] = [Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return `${m[1]}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/**
 * The article's title: the heading nearest before the article (or first in it) that the page's
 * <title> agrees with, else the nearest such heading, else the <title> without the site's name.
 */
function findTitle(titleTag: string, page: Page, root: ParentNode): string | undefined {
  const pageTitle = stripSiteName(titleTag);
  // When no article was found the whole page is read, and the heading nearest its top is nearest.
  const rootIndex = numberOf(page, root);
  const rootEnd = rootIndex >= 0 ? (page.end[rootIndex] as number) : page.order.length;
  const candidates: Array<{ text: string; distance: number }> = [];
  for (const [i, el] of page.order.entries()) {
    if (i > rootEnd || (i > rootIndex + MAX_TITLE_OFFSET && rootIndex >= 0) || page.chrome[i]) continue;
    if (!(el.name === "h1" || el.name === "h2" || named(el, TITLE_NAMES))) continue;
    const s = page.stats[i] as Stats;
    if (s.chars + s.linkChars > MAX_TITLE_LENGTH || subtreeSize(page, el) > MAX_SMALL_SUBTREE) continue;
    const text = plainLines(el, page).join(" ");
    if (text.length < 4 || text.length > MAX_TITLE_LENGTH || !HAN_RE.test(text) || isChromeText(text) || isTrailer(text)) continue;
    candidates.push({ text, distance: i < rootIndex ? rootIndex - i : i - rootIndex + 0.5 });
  }
  candidates.sort((a, b) => a.distance - b.distance);
  const agreed = pageTitle ? candidates.find((c) => squeeze(pageTitle).includes(squeeze(c.text)) || squeeze(c.text).includes(squeeze(pageTitle))) : undefined;
  return agreed?.text ?? candidates[0]?.text ?? (pageTitle || undefined);
}

/** "关于…的通知 - 营口市教育局" → "关于…的通知": trailing segments that name the site go. */
function stripSiteName(title: string): string {
  let t = title.trim();
  for (;;) {
    const m = /\s*(?:[_|｜]|\s[-—–]\s|——|--)\s*([^_|｜\-—–]{2,30})$/.exec(t);
    if (!m || !SITE_NAME_RE.test((m[1] as string).trim()) || m.index === 0) return t;
    t = t.slice(0, m.index).trim();
  }
}
const SITE_NAME_RE = /(?:网|网站|门户|平台|首页|政府|政务公开|信息公开|通知公告|局|委|厅|办|中心|学校|大学)$/;

/** Text compared without spaces. */
export const squeeze = (s: string) => s.replace(/\s+/g, "");
