// File I/O for the CLI: reading with a size limit (so a 200 MB file is refused before it is read,
// not after it fills memory) and writing atomically (a failed run leaves no partial file).

import { constants, createReadStream } from "node:fs";
import { access, open, rename, rm, stat, writeFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import path from "node:path";

/** Plans are a few hundred KB; anything this big is not one. */
export const MAX_INPUT_BYTES = 50 * 1024 * 1024;

export class InputError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = "InputError";
  }
}

/** The file's size, or an InputError saying in words a clerk reads why it is no file to read. */
async function statFile(file: string): Promise<{ size: number }> {
  let info;
  try {
    info = await stat(file);
  } catch (error) {
    throw new InputError(file, describeFsError(error, "找不到文件"));
  }
  if (info.isDirectory()) throw new InputError(file, "这是一个文件夹,不是文件。");
  return info;
}

export async function readInput(file: string): Promise<Uint8Array> {
  const info = await statFile(file);
  if (info.size > MAX_INPUT_BYTES) {
    throw new InputError(file, `文件太大(${formatBytes(info.size)}),超过 ${formatBytes(MAX_INPUT_BYTES)} 的上限。请拆分后再导入。`);
  }
  const handle = await open(file, "r").catch((error: unknown) => {
    throw new InputError(file, describeFsError(error, "无法打开文件"));
  });
  try {
    return new Uint8Array(await handle.readFile());
  } finally {
    await handle.close();
  }
}

/** Writes through a temporary file and a rename, so readers never see half a file. */
export async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    await writeFile(temp, data);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Like writeAtomic, for output made piece by piece (a backup): `produce` calls `write` in order. */
export async function writeAtomicStream<T>(file: string, produce: (write: (text: string) => Promise<void>) => Promise<T>): Promise<T> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  let handle;
  try {
    handle = await open(temp, "w");
  } catch (error) {
    throw new InputError(file, describeWriteError(error));
  }
  try {
    const opened = handle;
    const result = await produce(async (text) => void (await opened.write(text)));
    await opened.sync();
    await opened.close();
    handle = undefined;
    await rename(temp, file);
    return result;
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * The lines of a text file, read as a stream (a backup may be larger than memory likes). The
 * file is checked now, so a missing one is reported before anything else is opened; reading
 * starts when the lines are first asked for (a readline started earlier would drop them).
 */
export async function readLines(file: string): Promise<AsyncIterable<string>> {
  await statFile(file);
  await access(file, constants.R_OK).catch((error: unknown) => {
    throw new InputError(file, describeFsError(error, "无法读取文件"));
  });
  return (async function* () {
    yield* createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
  })();
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} B`;
}

function describeFsError(error: unknown, fallback: string): string {
  const code = (error as { code?: string }).code;
  if (code === "ENOENT") return "找不到文件,请检查路径。";
  if (code === "EACCES" || code === "EPERM") return "没有读取该文件的权限。";
  return fallback;
}

function describeWriteError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === "ENOENT") return "无法写入:所在的文件夹不存在。";
  if (code === "EACCES" || code === "EPERM" || code === "EROFS") return "没有写入该位置的权限。";
  if (code === "ENOSPC") return "磁盘空间不足。";
  return "无法写入文件。";
}
