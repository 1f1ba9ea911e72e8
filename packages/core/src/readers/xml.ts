// A small XML tokenizer for OOXML parts (word/document.xml, xl/worksheets/sheet1.xml…). OOXML is
// machine-written XML without DTD entities, so a forward scan suffices: elements with attributes,
// text with the predefined and numeric entities decoded, CDATA, and comments, processing
// instructions and DOCTYPE skipped (a DOCTYPE's entities are never expanded: no billion laughs).
// One pass of indexOf and char codes (no backtracking patterns): linear time on any input.

export type XmlAttrs = Record<string, string>;

/** Returned from `open` to pass over an element's content: no events inside it, then its `close`. */
export const SKIP = "skip";

export interface XmlHandler {
  /** An element starts; `selfClosing` for `<a/>` (its `close` follows at once). Names keep their prefix ("w:p"). */
  open?(name: string, attrs: XmlAttrs, selfClosing: boolean): void | typeof SKIP;
  /** An element ends; called once for every `open`, skipped or not. */
  close?(name: string): void;
  /** Text between tags, entities decoded; one element's text may come in several pieces. */
  text?(text: string): void;
}

/**
 * Walks `xml`, calling the handler for each element and text in document order. Returns false
 * when the text is not well-formed (a tag cut off, a stray or mismatched end tag, elements left
 * open at the end); the walk recovers where it can, so the events up to the end were delivered.
 */
export function walkXml(xml: string, handler: XmlHandler): boolean {
  const stack: string[] = [];
  let skipUntil = -1;
  let wellFormed = true;
  let at = 0;
  const emitText = (raw: string) => {
    if (raw && skipUntil < 0 && stack.length > 0) handler.text?.(decodeEntities(raw));
  };
  const close = (name: string) => {
    stack.pop();
    if (skipUntil === stack.length) skipUntil = -1;
    if (skipUntil < 0) handler.close?.(name);
  };
  while (at < xml.length) {
    const lt = xml.indexOf("<", at);
    if (lt < 0) {
      emitText(xml.slice(at));
      break;
    }
    if (lt > at) emitText(xml.slice(at, lt));
    const next = xml.charCodeAt(lt + 1);
    if (next === BANG) {
      const end = skipDeclaration(xml, lt);
      if (end < 0) return false;
      if (xml.startsWith(CDATA_OPEN, lt)) {
        const content = xml.slice(lt + CDATA_OPEN.length, end - CDATA_CLOSE.length);
        if (content && skipUntil < 0 && stack.length > 0) handler.text?.(content);
      }
      at = end;
    } else if (next === QUESTION) {
      const end = xml.indexOf("?>", lt + 2);
      if (end < 0) return false;
      at = end + 2;
    } else if (next === SLASH) {
      const gt = xml.indexOf(">", lt + 2);
      if (gt < 0) return false;
      const name = xml.slice(lt + 2, gt).trim();
      const open = openIndex(stack, name);
      if (open < 0 || open !== stack.length - 1) wellFormed = false;
      // A stray end tag is dropped; one that closes an outer element closes the inner ones too.
      if (open >= 0) while (stack.length > open) close(stack[stack.length - 1] as string);
      at = gt + 1;
    } else {
      const tag = readTag(xml, lt + 1);
      if (!tag) return false;
      if (!tag.clean) wellFormed = false;
      const depth = stack.length;
      stack.push(tag.name);
      if (skipUntil < 0 && handler.open?.(tag.name, tag.attrs, tag.selfClosing) === SKIP) skipUntil = depth;
      if (tag.selfClosing) close(tag.name);
      at = tag.end;
    }
  }
  return wellFormed && stack.length === 0;
}

/** How far up the open elements an end tag is looked for: bounds recovery from stray end tags. */
const MAX_RECOVERY_DEPTH = 64;

/** Index of the open element an end tag closes (the innermost of that name, not too far up), or -1. */
function openIndex(stack: readonly string[], name: string): number {
  const lowest = Math.max(0, stack.length - MAX_RECOVERY_DEPTH);
  for (let i = stack.length - 1; i >= lowest; i--) if (stack[i] === name) return i;
  return -1;
}

/** An element of `parseXml`'s tree. Text children are strings. */
export interface XmlElement {
  name: string;
  attrs: XmlAttrs;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

/**
 * The root element of a small part (styles.xml, numbering.xml, workbook.xml, rels) as a tree, or
 * null when it is not well-formed. For big parts (the document body, sheets) use walkXml.
 */
export function parseXml(xml: string): XmlElement | null {
  const root: XmlElement = { name: "", attrs: {}, children: [] };
  const stack: XmlElement[] = [root];
  const ok = walkXml(xml, {
    open(name, attrs) {
      const element: XmlElement = { name, attrs, children: [] };
      (stack[stack.length - 1] as XmlElement).children.push(element);
      stack.push(element);
    },
    close() {
      stack.pop();
    },
    text(text) {
      (stack[stack.length - 1] as XmlElement).children.push(text);
    },
  });
  const top = root.children.find((c): c is XmlElement => typeof c !== "string");
  return ok && top ? top : null;
}

/** The child elements named `name` (all child elements when no name is given). */
export function childElements(element: XmlElement, name?: string): XmlElement[] {
  return element.children.filter((c): c is XmlElement => typeof c !== "string" && (name === undefined || c.name === name));
}

/** The first child element named `name`. */
export function childElement(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((c): c is XmlElement => typeof c !== "string" && c.name === name);
}

/** All text inside an element, in order. */
export function textContent(element: XmlElement): string {
  return element.children.map((c) => (typeof c === "string" ? c : textContent(c))).join("");
}

/** "w:p" → "p". */
export function localName(name: string): string {
  return name.slice(name.indexOf(":") + 1);
}

/** A part's bytes as text: UTF-8 (BOM dropped), or UTF-16 when it starts with a UTF-16 BOM. */
export function decodeXml(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes.subarray(2));
  return new TextDecoder("utf-8").decode(bytes); // drops a UTF-8 BOM itself
}

const BANG = 0x21; // !
const QUESTION = 0x3f; // ?
const SLASH = 0x2f; // /
const GT = 0x3e; // >
const EQUALS = 0x3d; // =
const QUOTE = 0x22; // "
const APOS = 0x27; // '
const BRACKET_OPEN = 0x5b; // [
const BRACKET_CLOSE = 0x5d; // ]
const CDATA_OPEN = "<![CDATA[";
const CDATA_CLOSE = "]]>";
/** Longest entity we decode, "&#x10FFFF;" being the longest. */
const MAX_ENTITY = 10;
const MAX_CODE_POINT = 0x10ffff;

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/** End (exclusive) of a comment, CDATA section or DOCTYPE starting at `lt`; -1 when cut off. */
function skipDeclaration(xml: string, lt: number): number {
  if (xml.startsWith("<!--", lt)) {
    const end = xml.indexOf("-->", lt + 4);
    return end < 0 ? -1 : end + 3;
  }
  if (xml.startsWith(CDATA_OPEN, lt)) {
    const end = xml.indexOf(CDATA_CLOSE, lt + CDATA_OPEN.length);
    return end < 0 ? -1 : end + CDATA_CLOSE.length;
  }
  // <!DOCTYPE …> may hold an internal subset in brackets, with quoted strings that may hold ">".
  let depth = 0;
  for (let i = lt + 2; i < xml.length; i++) {
    const c = xml.charCodeAt(i);
    if (c === QUOTE || c === APOS) {
      const end = xml.indexOf(String.fromCharCode(c), i + 1);
      if (end < 0) return -1;
      i = end;
    } else if (c === BRACKET_OPEN) depth++;
    else if (c === BRACKET_CLOSE) depth--;
    else if (c === GT && depth <= 0) return i + 1;
  }
  return -1;
}

interface Tag {
  name: string;
  attrs: XmlAttrs;
  selfClosing: boolean;
  /** Index just past the tag's ">". */
  end: number;
  /** False when an attribute was malformed (kept as best we could). */
  clean: boolean;
}

/** The start tag whose name begins at `from`; null when the text ends inside it. */
function readTag(xml: string, from: number): Tag | null {
  let i = from;
  while (i < xml.length && !isSpace(xml.charCodeAt(i)) && xml.charCodeAt(i) !== GT && xml.charCodeAt(i) !== SLASH) i++;
  const name = xml.slice(from, i);
  const attrs: XmlAttrs = Object.create(null) as XmlAttrs;
  let clean = name.length > 0;
  for (;;) {
    while (i < xml.length && isSpace(xml.charCodeAt(i))) i++;
    if (i >= xml.length) return null;
    const c = xml.charCodeAt(i);
    if (c === GT) return { name, attrs, selfClosing: false, end: i + 1, clean };
    if (c === SLASH) {
      if (xml.charCodeAt(i + 1) === GT) return { name, attrs, selfClosing: true, end: i + 2, clean };
      clean = false;
      i++;
      continue;
    }
    const nameStart = i;
    while (i < xml.length) {
      const d = xml.charCodeAt(i);
      if (isSpace(d) || d === EQUALS || d === GT || d === SLASH) break;
      i++;
    }
    const attrName = xml.slice(nameStart, i);
    while (i < xml.length && isSpace(xml.charCodeAt(i))) i++;
    if (xml.charCodeAt(i) !== EQUALS) {
      clean = false;
      if (attrName) attrs[attrName] = "";
      if (i === nameStart) i++; // a stray character: step over it so the scan always advances
      continue;
    }
    i++;
    while (i < xml.length && isSpace(xml.charCodeAt(i))) i++;
    const quote = xml.charCodeAt(i);
    if (quote !== QUOTE && quote !== APOS) {
      clean = false;
      attrs[attrName] = "";
      continue;
    }
    const close = xml.indexOf(quote === QUOTE ? '"' : "'", i + 1);
    if (close < 0) return null;
    attrs[attrName] = decodeEntities(xml.slice(i + 1, close));
    i = close + 1;
  }
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** Decodes &amp; &lt; &gt; &quot; &apos; &#N; &#xH;; anything else is left as written. */
export function decodeEntities(raw: string): string {
  let amp = raw.indexOf("&");
  if (amp < 0) return raw;
  let out = "";
  let from = 0;
  while (amp >= 0) {
    let semi = -1;
    for (let j = amp + 1; j < raw.length && j <= amp + MAX_ENTITY; j++) {
      if (raw.charCodeAt(j) === 0x3b) {
        semi = j;
        break;
      }
    }
    const decoded = semi < 0 ? undefined : entityValue(raw.slice(amp + 1, semi));
    if (decoded !== undefined) {
      out += raw.slice(from, amp) + decoded;
      from = semi + 1;
    }
    amp = raw.indexOf("&", decoded !== undefined ? from : amp + 1);
  }
  return out + raw.slice(from);
}

function entityValue(body: string): string | undefined {
  if (body.charCodeAt(0) !== 0x23) return NAMED_ENTITIES[body];
  const hex = body.charCodeAt(1) === 0x78 || body.charCodeAt(1) === 0x58;
  const digits = body.slice(hex ? 2 : 1);
  if (!digits || !(hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits)) return undefined;
  const code = Number.parseInt(digits, hex ? 16 : 10);
  const surrogate = code >= 0xd800 && code <= 0xdfff;
  return code > 0 && code <= MAX_CODE_POINT && !surrogate ? String.fromCodePoint(code) : undefined;
}
