// What is on the page but not in the plan: web-page chrome (发布时间, 字号, 分享, 扫一扫), site
// banners, reading counters, page marks (第2/3页, - 2 -), advertisements, and notices printed after
// the plan (an auction notice under a news report, 相关阅读 lists). Lines are judged one by one;
// a trailer line ends the plan: everything after it up to the next plan title is dropped too.

import type { Line } from "./read.js";

export type NoiseKind = "chrome" | "trailer";

/** Lines that are page furniture wherever they stand. */
const CHROME: readonly RegExp[] = [
  // Labelled page fields: "发布时间:2023-07-19", "来源:市政府", "【字号:大 中 小】".
  /^(?:•\s*)?【?(?:发布时间|发布日期|发布机构|信息来源|来源|浏览量|浏览次数|阅读量|阅读次数|点击量|点击数|访问量|责任编辑|编辑|作者|当前位置|您的位置|所在位置|字号|字体|分享到|分享|打印|视频|上一篇|下一篇)\s*:/,
  // An attachment label alone or a download link; "附件:2024年…任务分解表" is an annex's title.
  /^(?:•\s*)?附\s*件\s*\d{0,2}\s*:?\s*(?:\S+\.(?:docx?|pdf|xlsx?|wps|zip|rar))?$/i,
  // Page buttons standing alone.
  /^(?:•\s*)?【?(?:字号|字体|分享|打印本页|打印|关闭窗口|关闭|收藏|返回顶部|[大中小](?:\s+[大中小]){2})\s*】?$/,
  /扫一扫|扫码|二维码|微信(?:扫|关注|公众号)|领取福利|加入收藏|预计阅读|阅读时长|在手机(?:上)?打开/,
  // Site footers and page buttons: "版权所有 © …", "浙ICP备…", "网站地图 | 联系我们", "【打印】【关闭】".
  /版权所有|ICP备|公网安备|网站标识码|网站地图|联系我们|技术支持\s*:|^(?:主办|承办|协办)单位\s*:.{0,30}$|^(?:【[^】]{1,6}】\s*){2,}$/,
  // Metadata fields of a government site's 信息公开 table: "索引号:", "主题分类:".
  /^(?:索引号|主题分类|公开方式|公开范围|有效性|组配分类|体裁分类|服务对象)\s*:/,
  /^\((?:此件公开发布|此件主动公开|此件依申请公开)\)$/,
  // Page marks: "- 2 -", "—2—", "第2页", "第 2 页 共 5 页", "2/3", and bare counters ("221381"). A
  // bare small number stays: it may be a table's 序号 cell (outline.ts drops it if it is not).
  /^[-—–]\s*\d{1,4}\s*[-—–]$/,
  /^\d{4,8}$/,
  /^第\s*\d+\s*页(?:\s*[,/]?\s*共\s*\d+\s*页)?$/,
  /^\d{1,4}\s*\/\s*\d{1,4}$/,
];

/** Site banners: a short line carrying a domain name. */
const BANNER = /(?:^|[\s—-])(?:www\.)?[a-z0-9-]+\.(?:com|cn|net|org|gov\.cn)\b/i;

/** Lines that start something that is not the plan. */
const TRAILER: readonly RegExp[] = [
  /^(?:相关阅读|相关链接|相关新闻|相关文章|相关附件|相关文件|推荐阅读|延伸阅读|热点推荐|猜你喜欢)\s*[::]?/,
  // (The lookahead only repeats the ending, so that most lines fail at once.)
  /^(?=[^]*[告事明]$).{0,12}(?:拍卖|招标|招聘|遗失|注销|减资|中标|广告)?\s*[//]?\s*(?:公告|启事|广告|声明)$/,
  /^[【\[(]\s*(?:广告|推广|赞助)\s*[】\])]$/,
];

/** Trailer heads are short lines ("相关阅读:", "新晚报 拍卖/公告"). */
const MAX_TRAILER_LENGTH = 30;

/**
 * Speed: the patterns of a list that are anchored at the line's start are tested as one anchored
 * alternation (tried at one position), the others as another (tried at every position); each finds
 * a match in the same lines as testing the patterns one by one (they use no g/y flag and no
 * back-references).
 */
function anyOf(patterns: readonly RegExp[]): RegExp[] {
  const groups = new Map<string, string[]>();
  for (const re of patterns) {
    for (const piece of splitTopLevel(re.source)) {
      const key = `${re.flags} ${piece.startsWith("^") ? "start" : "anywhere"}`;
      groups.set(key, [...(groups.get(key) ?? []), `(?:${piece})`]);
    }
  }
  return [...groups].map(([key, sources]) => new RegExp(sources.join("|"), key.split(" ")[0]));
}

/** A pattern's top-level alternatives ("a|^b(c|d)" → "a", "^b(c|d)"). */
function splitTopLevel(source: string): string[] {
  const pieces: string[] = [];
  let depth = 0;
  let inClass = false;
  let from = 0;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === "\\") i++;
    else if (inClass) inClass = ch !== "]";
    else if (ch === "[") inClass = true;
    else if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (ch === "|" && depth === 0) {
      pieces.push(source.slice(from, i));
      from = i + 1;
    }
  }
  pieces.push(source.slice(from));
  return pieces;
}
const ANY_TRAILER = anyOf(TRAILER);
const ANY_CHROME = anyOf(CHROME);

export function noiseKind(line: Line): NoiseKind | null {
  const t = line.text;
  if (t.length <= MAX_TRAILER_LENGTH && ANY_TRAILER.some((re) => re.test(t))) return "trailer";
  if (t.length <= 80 && ANY_CHROME.some((re) => re.test(t))) return "chrome";
  // Speed: a domain name has a dot, which most lines lack.
  if (t.length <= 60 && t.includes(".") && BANNER.test(t) && !/[。;]/.test(t)) return "chrome";
  return null;
}

/** Strips page marks that stick to a heading: "2023年全市教育工作要点(第2/3页)". */
export function stripPageMark(text: string): string {
  if (!/[)\]]\s*$/.test(text)) return text;
  return text.replace(/\s*[(\[]\s*第\s*\d+\s*(?:\/\s*\d+\s*)?页\s*[)\]]\s*$/, "");
}
