// Office files we cannot read, made by fixtures/formats/make-office-bad.mjs: the .docx and .xlsx
// fixtures locked with an open password (agile encryption inside an OLE compound file, checked by
// decrypting with msoffcrypto-tool and opening in LibreOffice) and saved by LibreOffice as
// Word/Excel 97-2003. Each must come back as one error diagnostic naming what it is, with no plans.

import { readFileSync } from "node:fs";
import path from "node:path";
import { type DocumentResult, diagnostic, parseDocument } from "@taizhang/core";
import { describe, expect, it } from "vitest";
import { FIXTURES } from "./golden.js";

const bytesOf = (name: string) => new Uint8Array(readFileSync(path.join(FIXTURES, "formats", name)));
const COMPOUND_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** Whether a compound file's directory holds an entry of this name (names are UTF-16LE). */
function hasEntry(bytes: Uint8Array, name: string): boolean {
  const needle = Buffer.from(`${name}\0`, "utf16le");
  return Buffer.from(bytes).includes(needle);
}

const refused = (diag: ReturnType<typeof diagnostic>): DocumentResult => ({
  plans: [],
  diagnostics: [diag],
  format: null,
  text: "",
  encoding: null,
});

describe("the fixtures are what they claim to be", () => {
  it("all four are OLE compound files", () => {
    for (const name of ["encrypted.docx", "encrypted.xlsx", "legacy.doc", "legacy.xls"]) {
      expect([...bytesOf(name).subarray(0, 8)], name).toEqual(COMPOUND_MAGIC);
    }
  });

  it("the encrypted ones hold an agile EncryptionInfo and the EncryptedPackage", () => {
    for (const name of ["encrypted.docx", "encrypted.xlsx"]) {
      const bytes = bytesOf(name);
      expect(hasEntry(bytes, "EncryptionInfo"), name).toBe(true);
      expect(hasEntry(bytes, "EncryptedPackage"), name).toBe(true);
      expect(Buffer.from(bytes).includes('hashAlgorithm="SHA512"'), name).toBe(true);
    }
  });

  it("the legacy ones hold a WordDocument stream and a Workbook stream, and not the other", () => {
    const doc = bytesOf("legacy.doc");
    const xls = bytesOf("legacy.xls");
    expect([hasEntry(doc, "WordDocument"), hasEntry(doc, "Workbook")]).toEqual([true, false]);
    expect([hasEntry(xls, "WordDocument"), hasEntry(xls, "Workbook")]).toEqual([false, true]);
  });
});

describe("password-protected Office files", () => {
  for (const name of ["encrypted.docx", "encrypted.xlsx"]) {
    it(`${name} is refused as encrypted, not as corrupt or old`, async () => {
      const result = await parseDocument(bytesOf(name), { source: name });
      expect(result).toEqual(refused(diagnostic("FILE_ENCRYPTED")));
      expect(result.diagnostics[0]?.severity).toBe("error");
    });
  }

  it("is told from its content, whatever its name", async () => {
    for (const source of ["计划.doc", "计划.txt", "计划.xlsx"]) {
      const result = await parseDocument(bytesOf("encrypted.docx"), { source });
      expect(result.diagnostics.map((d) => d.code)).toEqual(["FILE_ENCRYPTED"]);
    }
  });
});

describe("Word and Excel 97-2003 files", () => {
  for (const [name, kind] of [["legacy.doc", ".doc"], ["legacy.xls", ".xls"]] as const) {
    it(`${name} is refused as an old ${kind} file, telling the clerk to save it anew`, async () => {
      const result = await parseDocument(bytesOf(name), { source: name });
      expect(result).toEqual(refused(diagnostic("OLD_OFFICE_FORMAT", { kind })));
      expect(result.diagnostics[0]?.message).toContain(`(${kind})`);
    });
  }

  it("is told from its content, whatever its name", async () => {
    const asDocx = await parseDocument(bytesOf("legacy.xls"), { source: "台账.docx" });
    const asXlsx = await parseDocument(bytesOf("legacy.doc"), { source: "要点.xlsx" });
    expect(asDocx).toEqual(refused(diagnostic("OLD_OFFICE_FORMAT", { kind: ".xls" })));
    expect(asXlsx).toEqual(refused(diagnostic("OLD_OFFICE_FORMAT", { kind: ".doc" })));
  });
});

describe("old Word files are told from old Excel files by the root of their directory", () => {
  it("a .doc with an Excel table embedded in it is still a .doc", async () => {
    // LibreOffice saved this Word 97 file with a Calc table inside: the table is stored as a
    // Workbook stream in the file's embedded-object storage, not at its root.
    const bytes = bytesOf("legacy-embedded-sheet.doc");
    expect(hasEntry(bytes, "Workbook")).toBe(true);
    const result = await parseDocument(bytes, { source: "计划.doc" });
    expect(result.diagnostics).toEqual([diagnostic("OLD_OFFICE_FORMAT", { kind: ".doc" })]);
  });

  it("a damaged compound file is reported as damaged", async () => {
    const bytes = bytesOf("legacy.doc").slice(0, 600);
    const result = await parseDocument(bytes, { source: "计划.doc" });
    expect(result.diagnostics.map((d) => d.code)).toEqual(["FILE_CORRUPT"]);
  });
});
