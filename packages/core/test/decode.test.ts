import iconv from "iconv-lite";
import { decode } from "@taizhang/core";
import { describe, expect, it } from "vitest";

const SAMPLE = "2024年全市教育工作要点\n一、加强党的全面领导\n1.强化理论武装。全年培训300人。\n";

describe("decode", () => {
  it.each([
    ["utf-8", Buffer.from(SAMPLE, "utf8"), "utf-8", false],
    ["utf-8 with BOM", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SAMPLE)]), "utf-8", true],
    ["gb18030", iconv.encode(SAMPLE, "gb18030"), "gb18030", false],
    ["gbk", iconv.encode(SAMPLE, "gbk"), "gb18030", false],
    ["utf-16le with BOM", iconv.encode(SAMPLE, "utf-16le", { addBOM: true }), "utf-16le", true],
    ["utf-16le without BOM", iconv.encode(SAMPLE, "utf-16le"), "utf-16le", false],
    ["utf-16be with BOM", Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(SAMPLE, "utf-16be")]), "utf-16be", true],
  ])("reads %s", (_, bytes, encoding, bom) => {
    const { decoded, diagnostics } = decode(bytes);
    expect(diagnostics).toEqual([]);
    expect(decoded).toEqual({ text: SAMPLE, encoding, bom });
  });

  it("refuses an empty file", () => {
    expect(decode(new Uint8Array()).diagnostics.map((d) => d.code)).toEqual(["EMPTY_FILE"]);
    expect(decode(Buffer.from(" \n\r\n\t")).diagnostics.map((d) => d.code)).toEqual(["EMPTY_FILE"]);
  });

  it.each([
    ["PDF", Buffer.from("%PDF-1.7\n%âãÏÓ\n")],
    ["docx", Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00])],
    ["PNG", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
    ["NUL bytes", Buffer.from([0x41, 0x00, 0x00, 0x00, 0x42, 0x43, 0x00, 0x00, 0x00, 0x44])],
  ])("refuses a binary file (%s) and names it", (_, bytes) => {
    const { decoded, diagnostics } = decode(bytes);
    expect(decoded).toBeNull();
    expect(diagnostics[0]?.code).toBe("BINARY_FILE");
    expect(diagnostics[0]?.severity).toBe("error");
  });

  it("refuses bytes that are no Chinese encoding", () => {
    const bytes = Buffer.alloc(400);
    for (let i = 0; i < bytes.length; i++) bytes[i] = 0x80 + ((i * 7) % 3) * 0x7f; // 0x80 / 0xff runs
    const { decoded, diagnostics } = decode(bytes);
    expect(decoded).toBeNull();
    expect(diagnostics.map((d) => d.code)).toEqual(["UNDECODABLE"]);
  });

  it("keeps a mostly good GB18030 file and says where bytes were lost", () => {
    const good = iconv.encode(SAMPLE.repeat(40), "gb18030");
    const bytes = Buffer.concat([good, Buffer.from([0xff]), good]);
    const { decoded, diagnostics } = decode(bytes);
    expect(decoded?.encoding).toBe("gb18030");
    expect(diagnostics.map((d) => d.code)).toEqual(["DECODE_REPLACED"]);
  });
});
