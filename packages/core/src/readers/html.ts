// Reads a page saved from a government site (政务公开, 通知公告) the way a clerk reads it: the
// article, not the page. CMS templates (TRS, the 集约化 platforms) put the text in a container named
// for it (TRS_Editor, zw, pages_content …); when none is named, the block with the most Chinese text
// of its own is the article. Site chrome (menus, breadcrumbs, share bars, footers) goes by its
// markup where it has any and by its wording where it has not. What the page says about the
// document (its title, 发布时间, the 信息公开 table's 文号 and 发文机关) becomes meta, not text.

import type { ParentNode } from "domhandler";
import { DomHandler, Parser } from "htmlparser2";
import { diagnostic } from "../diagnostics.js";
import type { ReadDocument } from "../document.js";
import { findArticle, indexPage } from "./html-page.js";
import { readBlocks } from "./html-blocks.js";
import { readMeta, squeeze } from "./html-meta.js";

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
