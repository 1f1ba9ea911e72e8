// An HTML page indexed once: which elements are seen at all (hidden ones and site chrome are not),
// how much Chinese text each holds, and where the article stands; page furniture told by its wording.

import type { AnyNode, Element, ParentNode, Text } from "domhandler";
import { ElementType } from "htmlparser2";

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
export const TITLE_NAMES = new Set(["title", "tit", "bt", "biaoti", "wzbt", "headline"]);

/** Chrome markup names furniture, not the article: a block that holds this share of the page's text is kept. */
const CHROME_MAX_SHARE = 0.5;
/** A container named for the article must hold this many Chinese characters to be taken for it. */
const MIN_ARTICLE_HAN = 30;
/** A named container nested in the chosen one replaces it when it holds this share of its text. */
const DESCEND_SHARE = 0.7;
/** A named container loses to the densest block when it holds less than this share of that block's text. */
const NAMED_VS_DENSE = 0.5;

export interface Stats {
  /** Chinese characters outside links, and inside them. */
  han: number;
  linkHan: number;
  /** Visible characters outside links, and inside them. */
  chars: number;
  linkChars: number;
  links: number;
}

/** The page's seen elements, numbered in document order; per-element facts are arrays by that number. */
export interface Page {
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

export const isElement = (n: AnyNode): n is Element => ElementType.isTag(n);
export const isText = (n: AnyNode): n is Text => n.type === ElementType.Text;
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
export const named = (el: Element, set: ReadonlySet<string>) => words(el).some((w) => set.has(w) || w.split(/[-_]/).some((n) => set.has(n)));
const namedWhole = (el: Element, set: ReadonlySet<string>) => words(el).some((w) => set.has(w));

/** Elements of the walk: a node, its parent's number, whether it stands in a link or an <article>. */
interface Visit {
  node: AnyNode;
  parent: number;
  link: boolean;
  article: boolean;
}

export function indexPage(dom: ParentNode): Page {
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
export const HAN_RE = /[\u3400-\u9fff\uf900-\ufaff]/;
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
export const numberOf = (page: Page, node: AnyNode): number => (isElement(node) ? (page.index.get(node) ?? -1) : -1);
export const statsOf = (page: Page, el: Element): Stats => page.stats[numberOf(page, el)] ?? emptyStats();
export const isChromeElement = (page: Page, el: Element): boolean => page.chrome[numberOf(page, el)] === 1;
/** How many elements stand inside one. */
export const subtreeSize = (page: Page, el: Element): number => {
  const i = numberOf(page, el);
  return i < 0 ? 0 : (page.end[i] as number) - i;
};
/** A label cell or a title holds a few inline elements; one that holds more is neither (and reading it costs). */
export const MAX_SMALL_SUBTREE = 16;

export function findArticle(page: Page): Element | null {
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
// Page furniture told by its wording

/** A label as pages write it, padded to the width of the longest ("文\u2003\u2003号", "索 引 号"). */
export const spaced = (labels: readonly string[]) => labels.map((l) => [...l].join("\\s*")).join("|");
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
export const MAX_CHROME_TEXT = 80;
const MAX_SHARE_TEXT = 30;

export function isChromeText(text: string): boolean {
  const t = fold(text);
  return (t.length <= MAX_CHROME_TEXT && CHROME_TEXT.some((re) => re.test(t))) || (t.length <= MAX_SHARE_TEXT && SHARE_TEXT.test(t));
}

const TRAILER_RE = /^(?:相关链接|相关阅读|相关文章|相关新闻|相关文件|推荐阅读|延伸阅读|热点推荐)\s*:?\s*$/;
export const isTrailer = (text: string) => TRAILER_RE.test(fold(text));

/**
 * Full-width ASCII forms (：（）１２) as their ASCII letters, so that one pattern reads both; the
 * length stays, so an index into the folded string is one into the original.
 */
export function fold(s: string): string {
  return s.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - FULL_WIDTH_OFFSET)).replace(/\u3000/g, " ");
}
const FULL_WIDTH_OFFSET = 0xfee0;

/** Elements that make a block of their own (a paragraph break before and after). */
export const BLOCK_TAGS = new Set([
  "address", "article", "blockquote", "body", "caption", "center", "dd", "details", "div", "dl", "dt", "fieldset",
  "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html",
  "legend", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot",
  "th", "thead", "tr", "ul",
]);
