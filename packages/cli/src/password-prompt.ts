// Reads a password on a terminal without echoing it: raw mode, one key at a time. Ctrl+C or
// Ctrl+D gives up (undefined); Backspace erases.
const ENTER = new Set(["\r", "\n"]);
const CTRL_C = "\u0003";
const CTRL_D = "\u0004";
const BACKSPACE = new Set(["\u007f", "\b"]);

export function promptHidden(question: string, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<string | undefined> {
  return new Promise((resolve) => {
    let answer = "";
    output.write(question);
    input.setRawMode(true);
    input.resume();
    input.setEncoding("utf8");
    const finish = (value: string | undefined): void => {
      input.off("data", onData);
      input.setRawMode(false);
      input.pause();
      output.write("\n");
      resolve(value);
    };
    function onData(chunk: string): void {
      for (const key of chunk) {
        if (ENTER.has(key)) return finish(answer);
        if (key === CTRL_C || key === CTRL_D) return finish(undefined);
        if (BACKSPACE.has(key)) answer = answer.slice(0, -1);
        else if (key >= " ") answer += key;
      }
    }
    input.on("data", onData);
  });
}
