// Reads a page saved from a government site (政务公开, 通知公告) the way a clerk reads it: the
// article, not the page. CMS templates (TRS, the 集约化 platforms) put the text in a container named
// for it (TRS_Editor, zw, pages_content …); when none is named, the block with the most Chinese text
// of its own is the article. Site chrome (menus, breadcrumbs, share bars, footers) goes by its
// markup where it has any and by its wording where it has not. What the page says about the
// document (its title, 发布时间, the 信息公开 table's 文号 and 发文机关) becomes meta, not text.

import type { AnyNode, Element, ParentNode, Text } from "domhandler";
import { DomHandler, ElementType, Parser } from "htmlparser2";
import { diagnostic } from "../diagnostics.js";
import type { DocBlock, DocCell, DocTable, DocumentMeta, ReadDocument } from "../document.js";
import { looksLikeUnitName } from "../unit-names.js";

export function readHtml(text: string): ReadDocument {
  const dom = parseHtml(text);
  if (!dom) {
    const what = `网页标签嵌套超过 ${MAX_NESTING} 层`;
    return { format: "html", blocks: [], meta: {}, diagnostics: [diagnostic("DOCUMENT_TOO_COMPLEX", { what })] };
  }
  const page = indexPage(dom);
  const root = findArticle(page) ?? dom;
  const blocks = readBlocks(root, page);
  const meta = readMeta(dom, page, root);
  const first = blocks[0];
  if (meta.title && !(first?.kind === "paragraph" && squeeze(first.text) === squeeze(meta.title))) {
    // The pipeline takes a plan's title from its text, and on most pages it stands outside the article.
    blocks.unshift({ kind: "paragraph", text: meta.title, heading: 1 });
  }
  return { format: "html", blocks, meta, diagnostics: [] };
}

// ---------------------------------------------------------------------------------------------
// Parsing, bounded

/**
 * Real pages nest a few dozen deep (a few hundred with unclosed <font> tags); htmlparser2 spends
 * time on each tag in proportion to the depth, so a page of nothing but open tags would take
 * minutes. The parse stops there, and the page is reported, not read.
 */
const MAX_NESTING = 10_000;
/** The depth is checked between chunks: one chunk opens at most a third as many tags. */
const PARSE_CHUNK = 16_384;

class NestingHandler extends DomHandler {
  get depth(): number {
    return this.tagStack.length;
  }
}

function parseHtml(text: string): ParentNode | null {
  const handler = new NestingHandler();
  const parser = new Parser(handler);
  for (let at = 0; at < text.length; at += PARSE_CHUNK) {
    parser.write(text.slice(at, at + PARSE_CHUNK));
    if (handler.depth > MAX_NESTING) return null;
  }
  parser.end();
  return handler.root;
}

// ---------------------------------------------------------------------------------------------
// The page: which elements are seen at all, how much Chinese each holds, which are chrome

/** Elements whose content is never text of the page. */
const UNSEEN_TAGS = new Set([
  // Not <head> itself: a page that never closes it still shows what follows.
  "title", "meta", "link", "base", "script", "style", "noscript", "template", "nav", "footer", "aside", "button", "select", "textarea",
  "input", "option", "iframe", "frame", "frameset", "object", "embed", "svg", "math", "canvas", "video", "audio",
  "map", "dialog", "img",
]);
const HIDDEN_STYLE_RE = /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)/i;

/** class/id words of site furniture (menus, breadcrumbs, share bars, footers, sidebars, ads). */
const CHROME_NAMES = new Set([
  "nav", "navbar", "navigation", "menu", "menus", "mainmenu", "submenu", "breadcrumb", "breadcrumbs", "crumb",
  "crumbs", "position", "location", "weizhi", "dqwz", "curpos", "share", "sharebar", "bdshare",
  "bdsharebuttonbox", "fenxiang", "jiathis", "footer", "foot", "bottom", "copyright", "banquan", "topbar",
  "banner", "logo", "sidebar", "aside", "related", "xgwz", "xglj", "recommend", "print", "dayin", "toolbar",
  "tools", "search", "login", "pager", "prevnext", "prenext", "comment", "comments", "qrcode", "ewm", "erweima",
  "ad", "ads", "advert", "friendlink", "yqlj",
]);
/** Chrome only as a whole word: "article-header" holds the title, "hidden-xs" hides nothing on a desktop. */
const CHROME_WORDS = new Set(["header", "head", "hidden", "hide"]);
/** class/id words of the article's container in government CMS templates. */
const CONTENT_NAMES = new Set([
  "trs_editor", "trs_ueditor", "custom_unionstyle", "ucap-content", "pages_content", "news_content", "article",
  "content", "zw", "wzzw", "detail", "view", "con", "zoom", "artibody",
]);
/** class/id words of a title element. */
const TITLE_NAMES = new Set(["title", "tit", "bt", "biaoti", "wzbt", "headline"]);

/** Chrome markup names furniture, not the article: a block that holds this share of the page's text is kept. */
const CHROME_MAX_SHARE = 0.5;
/** A container named for the article must hold this many Chinese characters to be taken for it. */
const MIN_ARTICLE_HAN = 30;
/** A named container nested in the chosen one replaces it when it holds this share of its text. */
const DESCEND_SHARE = 0.7;
/** A named container loses to the densest block when it holds less than this share of that block's text. */
const NAMED_VS_DENSE = 0.5;

interface Stats {
  /** Chinese characters outside links, and inside them. */
  han: number;
  linkHan: number;
  /** Visible characters outside links, and inside them. */
  chars: number;
  linkChars: number;
  links: number;
}

/** The page's seen elements, numbered in document order; per-element facts are arrays by that number. */
interface Page {
  /** Seen elements in document order (unseen subtrees left out). */
  order: Element[];
  index: Map<Element, number>;
  /** Each element's parent's number (-1 at the top). */
  parent: Int32Array;
  /** Number of the last element of each element's subtree. */
  end: Int32Array;
  /** Totals of each element's subtree. */
  stats: Stats[];
  /** Chrome, or inside it. */
  chrome: Uint8Array;
  /** Chinese characters outside links and chrome. */
  clean: Float64Array;
  /** Readability-style score: a block's own text counts for it and half for its parent. */
  density: Float64Array;
  /** A <table> inside. */
  hasTable: Uint8Array;
}

const isElement = (n: AnyNode): n is Element => ElementType.isTag(n);
const isText = (n: AnyNode): n is Text => n.type === ElementType.Text;
const emptyStats = (): Stats => ({ han: 0, linkHan: 0, chars: 0, linkChars: 0, links: 0 });

function isUnseen(el: Element, inArticleTag: boolean): boolean {
  if (UNSEEN_TAGS.has(el.name)) return true;
  // An <article>'s own <header> holds its title; the page's <header> holds the site's banner.
  if (el.name === "header" && !inArticleTag) return true;
  const a = el.attribs;
  return "hidden" in a || a["aria-hidden"] === "true" || HIDDEN_STYLE_RE.test(a["style"] ?? "");
}

/** The words of an element's class and id. */
function words(el: Element): string[] {
  const { class: cls, id } = el.attribs;
  if (!cls && !id) return [];
  return `${cls ?? ""} ${id ?? ""}`.toLowerCase().split(/\s+/).filter(Boolean);
}
/** Whether a word of the class or id, or a part of one split at - and _ ("news_content" → content), is in the set. */
const named = (el: Element, set: ReadonlySet<string>) => words(el).some((w) => set.has(w) || w.split(/[-_]/).some((n) => set.has(n)));
const namedWhole = (el: Element, set: ReadonlySet<string>) => words(el).some((w) => set.has(w));

/** Elements of the walk: a node, its parent's number, whether it stands in a link or an <article>. */
interface Visit {
  node: AnyNode;
  parent: number;
  link: boolean;
  article: boolean;
}

function indexPage(dom: ParentNode): Page {
  const order: Element[] = [];
  const parents: number[] = [];
  const blocks: number[] = [];
  const own: Stats[] = [];
  // Depth-first without recursion: a page may nest thousands of unclosed tags.
  const stack: Visit[] = [];
  const pushChildren = (p: ParentNode, parent: number, link: boolean, article: boolean) => {
    for (let i = p.children.length - 1; i >= 0; i--) stack.push({ node: p.children[i] as AnyNode, parent, link, article });
  };
  pushChildren(dom, -1, false, false);
  for (let visit = stack.pop(); visit; visit = stack.pop()) {
    const { node, parent, link, article } = visit;
    if (isText(node)) {
      if (parent >= 0) addText(own[parent] as Stats, node.data, link);
      continue;
    }
    if (!isElement(node) || isUnseen(node, article)) continue;
    const i = order.length;
    order.push(node);
    parents.push(parent);
    blocks.push(BLOCK_TAGS.has(node.name) ? i : parent >= 0 ? (blocks[parent] as number) : -1);
    own.push({ ...emptyStats(), links: node.name === "a" ? 1 : 0 });
    pushChildren(node, i, link || node.name === "a", article || node.name === "article" || node.name === "main");
  }
  const n = order.length;
  const parent = Int32Array.from(parents);
  const stats = sumUp(parent, own);
  let pageHan = 0;
  for (let i = 0; i < n; i++) if (parent[i] === -1) pageHan += (stats[i] as Stats).han + (stats[i] as Stats).linkHan;
  const chrome = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = parent[i] as number;
    if ((p >= 0 && chrome[p]) || isChrome(order[i] as Element, stats[i] as Stats, pageHan)) chrome[i] = 1;
  }
  const clean = new Float64Array(n);
  const density = new Float64Array(n);
  const end = Int32Array.from(order, (_, i) => i);
  const hasTable = new Uint8Array(n);
  for (let i = n - 1; i >= 0; i--) {
    const p = parent[i] as number;
    if (p >= 0) {
      end[p] = Math.max(end[p] as number, end[i] as number);
      if ((order[i] as Element).name === "table" || hasTable[i]) hasTable[p] = 1;
    }
    if (chrome[i]) continue;
    const han = (own[i] as Stats).han;
    clean[i] = (clean[i] as number) + han;
    if (p >= 0) clean[p] = (clean[p] as number) + (clean[i] as number);
    // Density: a paragraph's text counts for the block it stands in, and half for that one's parent.
    const block = blocks[i] as number;
    if (han === 0 || block < 0) continue;
    const holder = LEAF_BLOCKS.has((order[block] as Element).name) ? (parent[block] as number) : block;
    if (holder < 0) continue;
    density[holder] = (density[holder] as number) + han;
    const up = parent[holder] as number;
    if (up >= 0) density[up] = (density[up] as number) + han / 2;
  }
  return { order, index: new Map(order.map((el, i) => [el, i])), parent, end, stats, chrome, clean, density, hasTable };
}

function addText(s: Stats, data: string, link: boolean): void {
  let han = 0;
  let chars = 0;
  for (let i = 0; i < data.length; i++) {
    const c = data.charCodeAt(i);
    if (c <= SPACE || c === NBSP || c === IDEOGRAPHIC_SPACE) continue;
    chars++;
    if ((c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff)) han++;
  }
  if (link) {
    s.linkHan += han;
    s.linkChars += chars;
  } else {
    s.han += han;
    s.chars += chars;
  }
}
const HAN_RE = /[\u3400-\u9fff\uf900-\ufaff]/;
const SPACE = 0x20;
const NBSP = 0xa0;
const IDEOGRAPHIC_SPACE = 0x3000;

/** Subtree totals: children follow their parent in document order, so one backward pass adds them up. */
function sumUp(parent: Int32Array, own: readonly Stats[]): Stats[] {
  const total = own.map((o) => ({ ...o }));
  for (let i = total.length - 1; i >= 0; i--) {
    const p = parent[i] as number;
    if (p < 0) continue;
    const [s, t] = [total[i] as Stats, total[p] as Stats];
    t.han += s.han;
    t.linkHan += s.linkHan;
    t.chars += s.chars;
    t.linkChars += s.linkChars;
    t.links += s.links;
  }
  return total;
}

function isChrome(el: Element, s: Stats, pageHan: number): boolean {
  const big = s.han >= CHROME_MAX_SHARE * pageHan && s.han > 0;
  // ASP.NET pages wrap the whole body in one <form>; a search box is a small one.
  if (el.name === "form") return !big;
  return !big && (named(el, CHROME_NAMES) || namedWhole(el, CHROME_WORDS));
}

/** Paragraph-like blocks: their text counts for the container they stand in. */
const LEAF_BLOCKS = new Set(["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dd", "dt", "pre", "blockquote", "caption"]);

/** A seen element's number, or -1 for an unseen one (or the document). */
const numberOf = (page: Page, node: AnyNode): number => (isElement(node) ? (page.index.get(node) ?? -1) : -1);
const statsOf = (page: Page, el: Element): Stats => page.stats[numberOf(page, el)] ?? emptyStats();
const isChromeElement = (page: Page, el: Element): boolean => page.chrome[numberOf(page, el)] === 1;
/** How many elements stand inside one. */
const subtreeSize = (page: Page, el: Element): number => {
  const i = numberOf(page, el);
  return i < 0 ? 0 : (page.end[i] as number) - i;
};
/** A label cell or a title holds a few inline elements; one that holds more is neither (and reading it costs). */
const MAX_SMALL_SUBTREE = 16;

function findArticle(page: Page): Element | null {
  const { order, clean, density } = page;
  let dense = -1;
  for (let i = 0; i < order.length; i++) if ((density[i] as number) > 0 && (dense < 0 || (density[i] as number) > (density[dense] as number))) dense = i;
  const candidates: number[] = [];
  for (let i = 0; i < order.length; i++) {
    if (!page.chrome[i] && (clean[i] as number) >= MIN_ARTICLE_HAN && named(order[i] as Element, CONTENT_NAMES)) candidates.push(i);
  }
  let best = -1;
  for (const i of candidates) if (best < 0 || (clean[i] as number) > (clean[best] as number)) best = i;
  // The outer "content" wrapper often holds the title, the info table and the share bar too. A
  // container's descendants follow it in document order, so one pass finds the innermost.
  for (const i of candidates) {
    if (best >= 0 && i > best && i <= (page.end[best] as number) && (clean[i] as number) >= DESCEND_SHARE * (clean[best] as number)) best = i;
  }
  if (best >= 0 && (dense < 0 || (clean[best] as number) >= NAMED_VS_DENSE * (clean[dense] as number))) return order[best] as Element;
  return dense >= 0 ? (order[dense] as Element) : null;
}

// ---------------------------------------------------------------------------------------------
// Blocks: paragraphs and tables in document order

const BLOCK_TAGS = new Set([
  "address", "article", "blockquote", "body", "caption", "center", "dd", "details", "div", "dl", "dt", "fieldset",
  "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html",
  "legend", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot",
  "th", "thead", "tr", "ul",
]);
/** Lists and boxes of links (menus, 相关链接, 友情链接) are not text, whatever their markup. */
const LINK_BOXES = new Set(["ul", "ol", "dl", "div", "table", "tr", "td", "section"]);
const LINK_BOX_SHARE = 0.7;
const LINK_BOX_MIN_LINKS = 3;
/**
 * Beyond this depth a subtree is read as plain lines, without recursion: a sloppy page that never
 * closes its <font> tags nests two deeper with every paragraph.
 */
const MAX_DEPTH = 500;

interface Walk {
  page: Page;
  blocks: DocBlock[];
  pieces: string[];
  heading: number | undefined;
  /** The number an <ol> item shows on screen, not in its text. */
  listNumber: string | undefined;
  pre: boolean;
  /** A 相关链接 list began: the article is over. */
  ended: boolean;
}

function readBlocks(root: ParentNode, page: Page): DocBlock[] {
  const w = newWalk(page);
  walkChildren(root, w, 0);
  flush(w);
  return w.blocks;
}

const newWalk = (page: Page): Walk => ({ page, blocks: [], pieces: [], heading: undefined, listNumber: undefined, pre: false, ended: false });

function walkChildren(node: ParentNode, w: Walk, depth: number): void {
  const ordered = isElement(node) && node.name === "ol";
  let item = ordered ? clampInt((node as Element).attribs["start"], 1, Number.MAX_SAFE_INTEGER) - 1 : 0;
  for (const child of node.children) {
    if (w.ended) return;
    if (ordered && isElement(child) && child.name === "li") w.listNumber = `${++item}.`;
    walk(child, w, depth + 1);
  }
}

function walk(node: AnyNode, w: Walk, depth: number): void {
  if (isText(node)) {
    w.pieces.push(rawText(node.data, w.pre));
    return;
  }
  if (!isElement(node) || !w.page.index.has(node) || isChromeElement(w.page, node)) return;
  if (isLinkBox(node, w.page)) return;
  if (node.name === "br") {
    w.pieces.push("\n");
    return;
  }
  if (depth > MAX_DEPTH) {
    flush(w);
    for (const line of plainLines(node, w.page)) emit(w, line, undefined);
    return;
  }
  if (node.name === "table") {
    flush(w);
    readTable(node, w, depth);
    return;
  }
  if (!BLOCK_TAGS.has(node.name)) {
    walkChildren(node, w, depth);
    return;
  }
  flush(w);
  const heading = /^h([1-6])$/.exec(node.name);
  if (heading) w.heading = Number(heading[1]);
  const pre = w.pre;
  w.pre = pre || node.name === "pre";
  walkChildren(node, w, depth);
  flush(w);
  w.pre = pre;
  if (node.name === "li") w.listNumber = undefined;
}

function isLinkBox(el: Element, page: Page): boolean {
  if (!LINK_BOXES.has(el.name)) return false;
  const s = statsOf(page, el);
  return s.links >= LINK_BOX_MIN_LINKS && s.linkChars >= LINK_BOX_SHARE * (s.chars + s.linkChars);
}

/** Source line breaks become a mark that cleanLine drops between Chinese characters. */
const SEGMENT_BREAK = "\r";

function rawText(data: string, pre: boolean): string {
  const t = data.replace(/[\u0000\u200b-\u200d\u2060\ufeff]/g, "");
  return t.replace(/\r\n?|\n/g, pre ? "\n" : SEGMENT_BREAK);
}

function flush(w: Walk): void {
  const text = cleanText(w.pieces.join(""));
  w.pieces = [];
  const heading = w.heading;
  w.heading = undefined;
  if (!text) return;
  const listNumber = w.listNumber;
  w.listNumber = undefined;
  emit(w, listNumber && !LIST_NUMBER_RE.test(fold(text)) ? `${listNumber}${text}` : text, heading);
}

function emit(w: Walk, text: string, heading: number | undefined): void {
  if (w.ended) return;
  if (isTrailer(text)) {
    w.ended = true;
    return;
  }
  if (isChromeText(text)) return;
  w.blocks.push(heading ? { kind: "paragraph", text, heading } : { kind: "paragraph", text });
}
const LIST_NUMBER_RE = /^\(?[\d一二三四五六七八九十]+[、.)]/;

function cleanText(raw: string): string {
  return raw.split("\n").map(cleanLine).filter(Boolean).join("\n");
}

/**
 * Whitespace runs (&nbsp; and full-width spaces too) become one space; a source line break between
 * Chinese characters goes, as a browser renders it.
 */
function cleanLine(line: string): string {
  return line
    .replace(/\s+/g, (run: string, at: number, s: string) =>
      SOURCE_BREAK_RE.test(run) && isWide(s[at - 1]) && isWide(s[at + run.length]) ? "" : " ",
    )
    .trim();
}
/** A run of plain whitespace holding a source line break (an &nbsp; or a full-width space is meant). */
const SOURCE_BREAK_RE = /^[ \t\f\r]*\r[ \t\f\r]*$/;
const WIDE_RE = /[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u2018\u2019\u201c\u201d\u2014\u2026\u00b7]/;
const isWide = (ch: string | undefined) => ch !== undefined && WIDE_RE.test(ch);

/** Every visible text under an element, one line per block, without recursion. */
function plainLines(root: ParentNode, page: Page): string[] {
  const lines: string[] = [];
  let line: string[] = [];
  const breakLine = () => {
    const text = cleanText(line.join(""));
    if (text) lines.push(text);
    line = [];
  };
  const stack: Array<AnyNode | null> = [...root.children].reverse();
  while (stack.length) {
    const node = stack.pop();
    if (node === null || node === undefined) breakLine();
    else if (isText(node)) line.push(rawText(node.data, false));
    else if (isElement(node) && page.index.has(node)) {
      const block = BLOCK_TAGS.has(node.name) || node.name === "br";
      if (block) breakLine();
      if (block) stack.push(null);
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as AnyNode);
    }
  }
  breakLine();
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Page furniture told by its wording

/** A label as pages write it, padded to the width of the longest ("文\u2003\u2003号", "索 引 号"). */
const spaced = (labels: readonly string[]) => labels.map((l) => [...l].join("\\s*")).join("|");
/** The page's own fields: they are meta (readMeta), not the plan's text. */
const PAGE_FIELDS = [
  "发布时间", "发布日期", "发布机构", "信息来源", "文章来源", "来源", "浏览量", "浏览次数", "阅读次数", "阅读量", "点击数",
  "点击量", "访问量", "作者", "责任编辑", "编辑", "字号", "字体", "索引号", "发文机关", "发文字号", "文号", "成文日期",
  "主题分类", "公开方式", "有效性",
];

/** Lines of page furniture, whatever element they stand in (short lines only: body text may say 微信). */
const CHROME_TEXT: readonly RegExp[] = [
  /^(?:当前位置|您的位置|您现在的位置|所在位置|位置)\s*:/,
  /首页\s*[>›»]/,
  /^分享到|^分享(?:\s*:|$)|^(?:微信|微博|QQ空间|QQ|朋友圈)(?:\s+(?:微信|微博|QQ空间|QQ|朋友圈))*$/,
  /【\s*(?:打印|关闭|关闭窗口|返回顶部|收藏|字号|纠错)/,
  /^(?:打印本页|打印|关闭窗口|关闭|返回顶部|收藏本页|[大中小](?:\s*[大中小]){2})$/,
  /^(?:上一篇|下一篇|上一条|下一条|上一页|下一页)\s*:?/,
  /网站标识码|ICP备|公网安备|技术支持\s*:|版权所有|网站地图|联系我们|Copyright|©/i,
  // "主办单位:市教育局" alone may be an activity plan's line; with an address or a 承办 it is a footer.
  /^(?:主办|承办)(?:单位)?\s*:[^。]*(?:承办|地址|电话|邮编|网站)/,
  new RegExp(`^(?:${spaced(PAGE_FIELDS)})\\s*:`),
];
/** Share and QR-code prompts: a body line may mention 扫一扫 too, but not in so few words. */
const SHARE_TEXT = /扫一扫|二维码|手机(?:上)?打开|分享到/;
const MAX_CHROME_TEXT = 80;
const MAX_SHARE_TEXT = 30;

function isChromeText(text: string): boolean {
  const t = fold(text);
  return (t.length <= MAX_CHROME_TEXT && CHROME_TEXT.some((re) => re.test(t))) || (t.length <= MAX_SHARE_TEXT && SHARE_TEXT.test(t));
}

const TRAILER_RE = /^(?:相关链接|相关阅读|相关文章|相关新闻|相关文件|推荐阅读|延伸阅读|热点推荐)\s*:?\s*$/;
const isTrailer = (text: string) => TRAILER_RE.test(fold(text));

/**
 * Full-width ASCII forms (：（）１２) as their ASCII letters, so that one pattern reads both; the
 * length stays, so an index into the folded string is one into the original.
 */
function fold(s: string): string {
  return s.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - FULL_WIDTH_OFFSET)).replace(/\u3000/g, " ");
}
const FULL_WIDTH_OFFSET = 0xfee0;

// ---------------------------------------------------------------------------------------------
// Tables: data tables become DocTables; layout tables and info tables do not

const INFO_LABELS = ["索引号", "发文机关", "发布机构", "发文单位", "文号", "发文字号", "成文日期", "发布日期", "生效日期", "主题分类", "主题词", "公开方式", "有效性", "体裁分类", "组配分类", "名称"];
const INFO_LABEL_RE = new RegExp(`^(?:${spaced(INFO_LABELS)})\\s*:?`);
const MAX_COLSPAN = 100;
/** An info table's label cell is short ("发文字号:"); its value may share the cell. */
const MAX_LABEL_CELL = 40;
/** An info table is a few rows; its labels are looked for there. */
const MAX_INFO_ROWS = 8;

interface TableRow {
  cells: Element[];
  head: boolean;
}

function readTable(table: Element, w: Walk, depth: number): void {
  const rows = tableRows(table, w.page);
  // The 信息公开 table (索引号 | 发文机关 | 文号 | 成文日期) is what the page says about the document.
  if (isInfoTable(rows, w.page)) return;
  if (isLayoutTable(table, rows, w.page)) {
    for (const row of rows) for (const cell of row.cells) walk(cell, w, depth + 1);
    return;
  }
  const cells = rows.flatMap((r) => r.cells);
  const cellText = new Map(cells.map((c) => [c, readCell(c, w.page, depth)] as const));
  const caption = table.children.find((c): c is Element => isElement(c) && c.name === "caption");
  if (caption) {
    walkChildren(caption, w, depth);
    flush(w);
  }
  const grid = toGrid(rows, cellText);
  if (grid.rows.length) w.blocks.push(grid);
}

/** The table's own rows (a nested table's are its own), with whether each is a header row. */
function tableRows(table: Element, page: Page): TableRow[] {
  const rows: TableRow[] = [];
  const visit = (parent: Element, head: boolean) => {
    for (const child of parent.children) {
      if (!isElement(child) || !page.index.has(child)) continue;
      if (child.name === "tr") {
        const cells = child.children.filter((c): c is Element => isElement(c) && (c.name === "td" || c.name === "th") && page.index.has(c));
        rows.push({ cells, head: head || (cells.length > 0 && cells.every((c) => c.name === "th")) });
      } else if (child.name === "thead" || child.name === "tbody" || child.name === "tfoot") visit(child, child.name === "thead");
    }
  };
  visit(table, false);
  return rows;
}

function readCell(cell: Element, page: Page, depth: number): string {
  const w = newWalk(page);
  walkChildren(cell, w, depth);
  flush(w);
  return w.blocks
    .flatMap((b) => (b.kind === "paragraph" ? [b.text] : b.rows.flat().filter((c) => !c.continued).map((c) => c.text)))
    .filter(Boolean)
    .join("\n");
}

/**
 * The 信息公开 table: a few rows of label and value cells. A data table's header row may hold the
 * same words ("名称 | 文号"), but in one row and without the colon.
 */
function isInfoTable(rows: readonly TableRow[], page: Page): boolean {
  if (rows.length > MAX_INFO_ROWS) return false;
  let labels = 0;
  let colon = false;
  const labelRows = new Set<number>();
  for (const [r, row] of rows.entries()) {
    for (const cell of row.cells) {
      const s = statsOf(page, cell);
      if (s.chars + s.linkChars > MAX_LABEL_CELL || subtreeSize(page, cell) > MAX_SMALL_SUBTREE) continue;
      const text = fold(plainLines(cell, page).join(""));
      if (!INFO_LABEL_RE.test(text)) continue;
      labels++;
      labelRows.add(r);
      colon ||= text.includes(":");
    }
  }
  return labels >= 2 && (colon || labelRows.size >= 2);
}

/** A table that lays out the page (or one box of it) rather than holding rows of data. */
function isLayoutTable(table: Element, rows: readonly TableRow[], page: Page): boolean {
  const role = table.attribs["role"];
  if (role === "presentation" || role === "none" || page.hasTable[numberOf(page, table)] === 1) return true;
  const filled = (cell: Element) => {
    const s = statsOf(page, cell);
    return s.chars + s.linkChars > 0;
  };
  // A data table has rows of several filled cells; a box of the page has one filled cell a row.
  const wide = rows.filter((r) => r.cells.filter(filled).length >= 2).length;
  return wide < 2;
}

function toGrid(rows: readonly TableRow[], cellText: Map<Element, string>): DocTable {
  const out: DocCell[][] = [];
  // Columns still covered by a cell above: its span and how many more rows it covers.
  const carry = new Map<number, { span: number; left: number }>();
  for (const [r, row] of rows.entries()) {
    const cells: DocCell[] = [];
    let column = 0;
    const takeCarried = () => {
      for (let c = carry.get(column); c && c.left > 0; c = carry.get(column)) {
        cells.push(c.span > 1 ? { text: "", continued: true, span: c.span } : { text: "", continued: true });
        c.left--;
        if (c.left === 0) carry.delete(column);
        column += c.span;
      }
    };
    for (const el of row.cells) {
      takeCarried();
      const span = clampInt(el.attribs["colspan"], 1, MAX_COLSPAN);
      const down = rowspan(el.attribs["rowspan"], rows.length - r);
      const text = cellText.get(el) ?? "";
      cells.push(span > 1 ? { text, span } : { text });
      if (down > 1) carry.set(column, { span, left: down - 1 });
      column += span;
    }
    // Cells carried down past the row's own end.
    for (const c of [...carry.keys()].sort((a, b) => a - b)) {
      if (c < column) continue;
      if (c > column) cells.push(c - column > 1 ? { text: "", span: c - column } : { text: "" });
      column = c;
      takeCarried();
    }
    if (cells.length) out.push(cells);
  }
  let headerRows = 0;
  while (headerRows < rows.length && rows[headerRows]?.head) headerRows++;
  return { kind: "table", rows: out, headerRows };
}

function clampInt(value: string | undefined, min: number, max: number): number {
  const n = Number.parseInt(value ?? "", 10);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : min;
}

/** rowspan="0" runs to the end of the table; no span runs past it. */
function rowspan(value: string | undefined, remaining: number): number {
  const n = Number.parseInt(value ?? "", 10);
  if (n === 0) return remaining;
  return Number.isFinite(n) ? Math.min(remaining, Math.max(1, n)) : 1;
}

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

function readMeta(dom: ParentNode, page: Page, root: ParentNode): DocumentMeta {
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
const squeeze = (s: string) => s.replace(/\s+/g, "");
