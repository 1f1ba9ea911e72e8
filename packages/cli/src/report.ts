// How diagnostics reach the person at the terminal: one line each, in Chinese, on stderr.

import type { Diagnostic } from "@taizhang/core";

const SEVERITY_LABEL: Record<Diagnostic["severity"], string> = {
  error: "错误",
  warning: "警告",
  info: "提示",
};

export function formatDiagnostic(file: string, d: Diagnostic): string {
  const where = d.place ? `第${d.place.line}行:` : "";
  return `${file}: ${SEVERITY_LABEL[d.severity]} ${where}${d.message} [${d.code}]`;
}

/** A one-line progress bar on stderr, for runs over many files; silent when stderr is not a terminal. */
export function createProgress(total: number, stream: NodeJS.WriteStream = process.stderr) {
  const enabled = Boolean(stream.isTTY) && total > 1;
  const width = 24;
  return {
    tick(done: number, label: string) {
      if (!enabled) return;
      const filled = Math.round((done / total) * width);
      stream.write(`\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} ${label.slice(0, 40).padEnd(40)}`);
    },
    done() {
      if (enabled) stream.write("\r\x1b[K");
    },
  };
}
