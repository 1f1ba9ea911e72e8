import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { readZip } from "../src/readers/zip.js";
import { SKIP, childElement, childElements, decodeEntities, decodeXml, parseXml, textContent, walkXml } from "../src/readers/xml.js";

const MB = 1024 * 1024;
const limits = { maxEntry: 1 * MB, maxTotal: 2 * MB, kind: "Word 文档" };
const all = () => true;

describe("readZip", () => {
  const zip = zipSync({ "word/document.xml": strToU8("<w:document/>"), "docProps/app.xml": strToU8("<x/>"), "media/a.bin": new Uint8Array([1, 2, 3]) }, { level: 6 });

  it("inflates only the wanted entries and lists every name", () => {
    const result = readZip(zip, { ...limits, want: (n) => n.startsWith("word/") });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.names).toEqual(["word/document.xml", "docProps/app.xml", "media/a.bin"]);
    expect([...result.entries.keys()]).toEqual(["word/document.xml"]);
    expect(new TextDecoder().decode(result.entries.get("word/document.xml"))).toBe("<w:document/>");
  });

  it("reads stored (uncompressed) entries", () => {
    const stored = zipSync({ "a.txt": strToU8("hello") }, { level: 0 });
    const result = readZip(stored, { ...limits, want: all });
    expect(result.ok && new TextDecoder().decode(result.entries.get("a.txt"))).toBe("hello");
  });

  it("reads ZIP64 records", () => {
    const result = readZip(zip64("word/document.xml", strToU8("<w:document/>")), { ...limits, want: all });
    expect(result.ok && result.names).toEqual(["word/document.xml"]);
    expect(result.ok && new TextDecoder().decode(result.entries.get("word/document.xml"))).toBe("<w:document/>");
  });

  it("calls a truncated archive corrupt, naming the kind", () => {
    const result = readZip(zip.subarray(0, zip.length - 30), { ...limits, want: all });
    expect(result.ok ? null : result.diagnostic.code).toBe("FILE_CORRUPT");
    expect(result.ok ? "" : result.diagnostic.message).toContain("Word 文档");
  });

  it("calls garbage and a damaged deflate stream corrupt", () => {
    expect(readZip(strToU8("not a zip at all"), { ...limits, want: all }).ok).toBe(false);
    const big = zipSync({ "a.xml": strToU8("<a>" + "x".repeat(5000) + "</a>") }, { level: 9 });
    const damaged = big.slice();
    damaged.fill(0xff, 40, 50); // inside the deflate data of the only entry
    const result = readZip(damaged, { ...limits, want: all });
    expect(result.ok ? null : result.diagnostic.code).toBe("FILE_CORRUPT");
  });

  it("stops an entry that inflates past the limit even when its header lies about the size", () => {
    const bomb = zipSync({ "a.xml": new Uint8Array(3 * MB) }, { level: 9 });
    lieAboutSizes(bomb, 100);
    const result = readZip(bomb, { ...limits, want: all });
    expect(result.ok ? null : result.diagnostic.code).toBe("ARCHIVE_TOO_LARGE");
    expect(result.ok ? "" : result.diagnostic.message).toContain("1 MB");
  });

  it("refuses on the declared size alone, and counts the total over entries", () => {
    const honest = zipSync({ "a.xml": new Uint8Array(3 * MB) }, { level: 9 });
    expect(readZip(honest, { ...limits, want: all }).ok).toBe(false);
    const three = zipSync({ a: new Uint8Array(0.9 * MB), b: new Uint8Array(0.9 * MB), c: new Uint8Array(0.9 * MB) });
    const result = readZip(three, { ...limits, want: all });
    expect(result.ok ? "" : result.diagnostic.message).toContain("2 MB");
    expect(readZip(three, { ...limits, want: (n) => n !== "c" }).ok).toBe(true);
  });
});

/** A one-entry, stored (uncompressed) ZIP64 archive: every size and offset in the 64-bit records. */
function zip64(name: string, data: Uint8Array): Uint8Array {
  const nameBytes = strToU8(name);
  const out = new Uint8Array(30 + nameBytes.length + 20 + data.length + 46 + nameBytes.length + 28 + 56 + 20 + 22);
  const view = new DataView(out.buffer);
  let at = 0;
  const u16 = (v: number) => (view.setUint16(at, v, true), (at += 2));
  const u32 = (v: number) => (view.setUint32(at, v, true), (at += 4));
  const u64 = (v: number) => (u32(v % 2 ** 32), u32(Math.floor(v / 2 ** 32)));
  const bytes = (b: Uint8Array) => (out.set(b, at), (at += b.length));
  const SAT = 0xffffffff;
  u32(0x04034b50), u16(45), u16(0), u16(0), u32(0), u32(0), u32(SAT), u32(SAT), u16(nameBytes.length), u16(20);
  bytes(nameBytes), u16(1), u16(16), u64(data.length), u64(data.length), bytes(data);
  const central = at;
  u32(0x02014b50), u16(45), u16(45), u16(0), u16(0), u32(0), u32(0), u32(SAT), u32(SAT), u16(nameBytes.length), u16(28), u16(0), u16(0), u16(0), u32(0), u32(SAT);
  bytes(nameBytes), u16(1), u16(24), u64(data.length), u64(data.length), u64(0);
  const end64 = at;
  u32(0x06064b50), u64(44), u16(45), u16(45), u32(0), u32(0), u64(1), u64(1), u64(end64 - central), u64(central);
  u32(0x07064b50), u32(0), u64(end64), u32(1);
  u32(0x06054b50), u16(0xffff), u16(0xffff), u16(0xffff), u16(0xffff), u32(SAT), u32(SAT), u16(0);
  return out;
}

/** Overwrites every declared uncompressed size (local and central headers) with `size`. */
function lieAboutSizes(zip: Uint8Array, size: number) {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  for (let at = 0; at + 4 <= zip.length; at++) {
    const sig = view.getUint32(at, true);
    if (sig === 0x04034b50) view.setUint32(at + 22, size, true);
    if (sig === 0x02014b50) view.setUint32(at + 24, size, true);
  }
}

interface Event {
  e: "open" | "close" | "text";
  v: string;
}
function events(xml: string): { events: Event[]; ok: boolean } {
  const out: Event[] = [];
  const ok = walkXml(xml, {
    open: (name, attrs, self) => void out.push({ e: "open", v: `${name}${JSON.stringify({ ...attrs })}${self ? "/" : ""}` }),
    close: (name) => void out.push({ e: "close", v: name }),
    text: (text) => void out.push({ e: "text", v: text }),
  });
  return { events: out, ok };
}

describe("walkXml", () => {
  it("gives elements, attributes and decoded text in order", () => {
    const { events: ev, ok } = events(`<?xml version="1.0"?><!-- c --><w:p a="1 &amp; 2" b='x>y'><w:t xml:space="preserve"> A&lt;B &#x4E00;&#20108; </w:t><w:br/></w:p>`);
    expect(ok).toBe(true);
    expect(ev).toEqual([
      { e: "open", v: `w:p{"a":"1 & 2","b":"x>y"}` },
      { e: "open", v: `w:t{"xml:space":"preserve"}` },
      { e: "text", v: " A<B 一二 " },
      { e: "close", v: "w:t" },
      { e: "open", v: "w:br{}/" },
      { e: "close", v: "w:br" },
      { e: "close", v: "w:p" },
    ]);
  });

  it("reads CDATA as text and never expands a DOCTYPE's entities", () => {
    const { events: ev, ok } = events(`<!DOCTYPE a [<!ENTITY x "boom>">]><a><![CDATA[<b>&amp;]]>&x;</a>`);
    expect(ok).toBe(true);
    expect(ev.filter((e) => e.e === "text").map((e) => e.v)).toEqual(["<b>&amp;", "&x;"]);
  });

  it("skips an element's content when open returns SKIP, still closing it", () => {
    const seen: string[] = [];
    walkXml("<a><del><t>gone</t></del><t>kept</t></a>", {
      open: (name) => (seen.push(`<${name}`), name === "del" ? SKIP : undefined),
      close: (name) => void seen.push(`${name}>`),
      text: (text) => void seen.push(text),
    });
    expect(seen).toEqual(["<a", "<del", "del>", "<t", "kept", "t>", "a>"]);
  });

  it("reports malformed XML and still recovers", () => {
    expect(events("<a><b></a>").ok).toBe(false);
    expect(events("<a><b></a>").events.map((e) => e.v)).toEqual(["a{}", "b{}", "b", "a"]);
    expect(events("<a></b></a>").ok).toBe(false);
    expect(events("<a><b x=").ok).toBe(false);
    expect(events("<a>").ok).toBe(false);
  });

  it("stays linear on hostile input", () => {
    const hostile = "<a>" + "&".repeat(200_000) + "<b c='".repeat(1) + "'" + " d".repeat(100_000) + "/></a>";
    const strays = "<x>".repeat(100_000) + "</y>".repeat(100_000) + "</x>".repeat(100_000);
    const started = performance.now();
    expect(events(hostile).ok).toBe(false);
    expect(walkXml(strays, {})).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe("parseXml and helpers", () => {
  it("builds a tree of a small part", () => {
    const root = parseXml(`<w:numbering><w:num w:numId="1"><w:abstractNumId w:val="3"/></w:num><w:num w:numId="2"/><x>t<y>u</y></x></w:numbering>`);
    expect(root?.name).toBe("w:numbering");
    if (!root) return;
    expect(childElements(root, "w:num").map((n) => n.attrs["w:numId"])).toEqual(["1", "2"]);
    expect(childElement(childElements(root, "w:num")[0]!, "w:abstractNumId")?.attrs["w:val"]).toBe("3");
    expect(textContent(childElement(root, "x")!)).toBe("tu");
    expect(parseXml("<a><b></a>")).toBeNull();
  });

  it("decodes entities and the part's encoding", () => {
    expect(decodeEntities("&amp;lt; &bogus; &#0; &#xD800; & &#65;")).toBe("&lt; &bogus; &#0; &#xD800; & A");
    expect(decodeXml(new Uint8Array([0xef, 0xbb, 0xbf, 0x3c, 0x61, 0x2f, 0x3e]))).toBe("<a/>");
    expect(decodeXml(new Uint8Array([0xff, 0xfe, 0x3c, 0, 0x61, 0, 0x2f, 0, 0x3e, 0]))).toBe("<a/>");
  });
});
