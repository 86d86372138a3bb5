import { processIo } from "./io";
import { runCli } from "./run-cli";

/** Entry point of the `bidcloud` command (bin/bidcloud.mjs runs it through tsx). */
try {
  process.exitCode = await runCli(process.argv.slice(2), processIo());
} catch (error) {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
