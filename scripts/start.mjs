// npm start: compile what changed (tsc -b is incremental: a second start costs under a second),
// then run `taizhang serve --demo` in this same process, so SIGTERM and Ctrl+C reach the server
// itself and it stops cleanly, whatever shell npm runs scripts in.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const tsc = require.resolve("typescript/bin/tsc");
try {
  execFileSync(process.execPath, [tsc, "-b", "packages/cli", "packages/store", "packages/server"], { stdio: "inherit", cwd: new URL("..", import.meta.url) });
} catch {
  console.error("npm start: 编译失败(见上方信息),未启动服务。");
  process.exit(1);
}
const { main } = await import("../packages/cli/dist/main.js");
process.exitCode = await main([process.argv[0], "taizhang", "serve", "--demo", ...process.argv.slice(2)]);
