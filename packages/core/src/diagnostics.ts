// The catalogue of diagnostic codes. A bad document is data, not an exception: every stage
// reports what it could not read here, in words a bureau clerk understands.

import type { Diagnostic, Place, Severity } from "./types.js";

export const DIAGNOSTICS = {
  EMPTY_FILE: { severity: "error", message: "文件是空的,没有可读取的内容。" },
  BINARY_FILE: {
    severity: "error",
    message: "这是一个{kind}文件,不是计划文档,无法读取。可导入的格式:.txt、.docx、.pdf、.html、.xlsx、.csv。",
  },
  OLD_OFFICE_FORMAT: {
    severity: "error",
    message: "这是旧版 Office 文件({kind}),无法直接读取。请用 Word/WPS/Excel 打开后另存为 .docx 或 .xlsx 再导入。",
  },
  FILE_CORRUPT: {
    severity: "error",
    message: "文件已损坏或不完整({kind}),无法打开。请用原来的软件重新保存一份,或向发文单位重新索取后再导入。",
  },
  DOCUMENT_TOO_COMPLEX: {
    severity: "error",
    message: "文件结构异常({what}),不像一份正常的文档,已停止读取。",
  },
  FILE_ENCRYPTED: { severity: "error", message: "文件设有打开密码,无法读取。请去掉密码后再导入。" },
  ARCHIVE_TOO_LARGE: {
    severity: "error",
    message: "文件解压后超过 {limit},内容异常(可能是压缩炸弹),已停止读取。",
  },
  PDF_NO_TEXT: {
    severity: "error",
    message: "这份 PDF 没有文字层(可能是扫描件或图片),无法提取文字。请先用 OCR 软件识别为文字后再导入。",
  },
  PDF_PAGES_WITHOUT_TEXT: {
    severity: "warning",
    message: "PDF 第 {pages} 页没有文字层(可能是扫描页),这些页的内容没有读取。",
  },
  SHEET_TOO_LONG: {
    severity: "error",
    message: "工作表“{sheet}”超过 {limit} 行,不像一份任务表,已停止读取。请只保留任务所在的行后再导入。",
  },
  NO_TEXT_IN_DOCUMENT: { severity: "error", message: "文件中没有可读取的文字。" },
  UNDECODABLE: {
    severity: "error",
    message: "文件编码无法识别:既不是 UTF-8/UTF-16,也不是 GB18030/GBK。请用记事本另存为 UTF-8 后再导入。",
  },
  DECODE_REPLACED: {
    severity: "warning",
    message: "有 {count} 处字节无法按 {encoding} 解码,已用“�”代替,请核对原文。",
  },
  TOO_LARGE: {
    severity: "error",
    message: "文件太大({size}),超过 {limit} 的上限。请拆分后再导入。",
  },
  NO_TASKS: {
    severity: "error",
    message: "没有找到编号的工作任务(如“一、”“(一)”“1.”),这似乎不是一份工作计划。",
  },
  TOC_SKIPPED: { severity: "info", message: "第 {line} 行起是目录或提纲,已跳过,不作为计划正文。" },
  LISTED_PLAN_MISSING: {
    severity: "warning",
    message: "目录列出了《{title}》,但文件中没有它的正文。",
  },
  NOISE_REMOVED: { severity: "info", message: "已去除 {count} 行网页栏目、广告或页码等无关内容。" },
  TRAILER_REMOVED: { severity: "info", message: "第 {line} 行起是计划之外的内容(公告、广告或相关阅读),已去除。" },
  TITLE_GUESSED: { severity: "warning", message: "没有找到计划标题,暂用第一行“{title}”作为标题,请核对。" },
  YEAR_UNKNOWN: { severity: "warning", message: "无法确定计划年度,未写年份的完成时限无法换算为日期。" },
  NUMBERING_GAP: {
    severity: "warning",
    message: "任务编号从 {from} 跳到 {to},中间可能有任务缺失或识别有误。",
  },
} as const satisfies Record<string, { severity: Severity; message: string }>;

export type DiagnosticCode = keyof typeof DIAGNOSTICS;

/** Builds a diagnostic from the catalogue, filling {placeholders} in its message. */
export function diagnostic(
  code: DiagnosticCode,
  params: Record<string, string | number> = {},
  place?: Place,
): Diagnostic {
  const entry = DIAGNOSTICS[code];
  const message = entry.message.replace(/\{(\w+)\}/g, (_, key: string) => String(params[key] ?? `{${key}}`));
  return place ? { code, severity: entry.severity, message, place } : { code, severity: entry.severity, message };
}
