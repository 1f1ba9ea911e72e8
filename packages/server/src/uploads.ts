// Files sent to the API (a plan to import, a piece of evidence) and files sent back (downloads).
// One way to take an upload: multipart, exactly one file under the field `file`, within the
// route's size limit; a second file or a file under another name is refused, not silently
// dropped. The name is kept as the person's file name, without folders or control characters.
import { basename } from "node:path";
import type { MultipartFile } from "@fastify/multipart";
import type { FastifyRequest } from "fastify";
import { apiError, type ServerErrorCode } from "./errors.js";

export const BYTES_PER_MB = 1024 * 1024;
export const MAX_FILE_NAME_LENGTH = 255;
const UNNAMED_FILE = "未命名文件";
const MAX_MIME_LENGTH = 127;
const FALLBACK_MIME = "application/octet-stream";
/** type/subtype, lower case, RFC 6838's characters: anything else is stored as octet-stream. */
const MIME_PATTERN = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

export interface Upload {
  fileName: string;
  mime: string;
  bytes: Uint8Array;
}

/** "50" for 50 MB, "0.5" for half of one: how a limit is said to a person. */
export function megabytes(bytes: number): number {
  return Math.round((bytes / BYTES_PER_MB) * 10) / 10;
}

/** The one file of the form, under `file`, at most `maxBytes` (else `tooLarge`). Other fields may come along. */
export async function receiveFile(request: FastifyRequest, maxBytes: number, tooLarge: ServerErrorCode): Promise<Upload> {
  if (!request.isMultipart()) throw apiError("UNSUPPORTED_MEDIA_TYPE");
  let received: Upload | undefined;
  // Two files allowed through the parser, so that the second is ours to refuse by name.
  for await (const part of request.parts({ limits: { fileSize: maxBytes, files: 2 } })) {
    if (part.type !== "file") continue;
    if (part.fieldname !== "file") throw apiError("FILE_REQUIRED", { message: "文件应放在 file 字段中上传" });
    if (received) throw apiError("VALIDATION_FAILED", { message: "一次只能上传一个文件" });
    received = { fileName: uploadName(part.filename), mime: mimeOf(part.mimetype), bytes: await readPart(part, maxBytes, tooLarge) };
  }
  if (!received) throw apiError("FILE_REQUIRED");
  if (received.bytes.byteLength === 0) throw apiError("FILE_REQUIRED", { message: "上传的文件是空的" });
  return received;
}

async function readPart(file: MultipartFile, limit: number, tooLarge: ServerErrorCode): Promise<Uint8Array> {
  try {
    return new Uint8Array(await file.toBuffer());
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "FST_REQ_FILE_TOO_LARGE") {
      throw apiError(tooLarge, { message: `文件超过了 ${megabytes(limit)} MB 的上限`, cause: error });
    }
    throw error;
  }
}

/** The name as uploaded, without any folder in front or control characters in it. */
export function uploadName(uploaded: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const name = basename(uploaded.replace(/\\/g, "/")).replace(/[\u0000-\u001f\u007f]/g, "").trim().slice(0, MAX_FILE_NAME_LENGTH);
  return name === "" ? UNNAMED_FILE : name;
}

/** The uploaded type without parameters, if it is one; else the generic binary type. */
export function mimeOf(uploaded: string | undefined): string {
  const mime = (uploaded ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  return mime.length <= MAX_MIME_LENGTH && MIME_PATTERN.test(mime) ? mime : FALLBACK_MIME;
}

/** Content-Disposition for a download: an ASCII stand-in for old clients, the real name per RFC 5987. */
export function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
