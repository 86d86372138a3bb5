import { processIo } from "./io";
import { runCli } from "./run-cli";

/** Entry point of the `bidcloud` command (bin/bidcloud.mjs runs it through tsx). */
process.exitCode = await runCli(process.argv.slice(2), processIo());
