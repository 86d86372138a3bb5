import { parseArgs } from "node:util";
import { startAgent, type RunningAgent } from "@/agent/agent";
import { AgentConfigError, loadAgentConfig } from "@/agent/config";
import { createLog, formatLogJson, formatLogLine } from "@/agent/log";
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from "../io";

export const AGENT_USAGE = `Usage: bidcloud agent --config <file> [--json] [--verbose]

Runs the provider agent next to a provider's machines: bids on the orders the market offers,
priced from the config's strategy; runs the leases it wins on the configured runtime (local
processes or Kubernetes); reports a signed heartbeat per lease every few seconds.

  --config <file>   agent config, YAML or JSON (example below)
  --json            log JSON lines instead of readable lines (logs go to stderr)
  --verbose         log debug entries too

Config:
  api: http://127.0.0.1:3000/api/v1
  apiKey: bc_...                      # or apiKeyFile: ./api-key
  signingKey: 0x<64 hex digits>       # or signingKeyFile: ./signing-key
  runtime: { kind: local, host: 127.0.0.1 }
  heartbeatSeconds: 3
  pricing:
    gpu: { h100: "2.40", a100: "1.30", "*": "1.00" }   # USD per GPU-hour
    cpuCore: "0.02"                   # USD per core-hour
    memoryGiB: "0.005"                # USD per GiB-hour
    storageGiB: "0.0002"
    floor: "0.10"                     # lowest USD/hour of any bid
    margins: [{ when: { minGpus: 4 }, multiply: "0.95" }]
    command: ["./price.sh"]           # optional: order JSON on stdin, USD/hour on stdout

Environment:
  BIDCLOUD_API_KEY   overrides the config's apiKey

SIGINT or SIGTERM stops the agent and leaves workloads running (a restarted agent adopts
them); the local runtime's processes end with the agent by design.

Exit status: 0 stopped by a signal, 1 gave up (provider refused, key revoked), 2 usage error or
bad config.`;

export async function agent(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args);
  if (values.help) {
    io.out(AGENT_USAGE);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals[0]}`, AGENT_USAGE);
  if (!values.config) throw new UsageError("agent needs --config <file>", AGENT_USAGE);

  let config;
  try {
    config = await loadAgentConfig(values.config, { readText: io.readText, env: io.env });
  } catch (error) {
    if (!(error instanceof AgentConfigError)) throw error;
    io.err(`error: ${error.message}`);
    return EXIT_USAGE;
  }

  const format = values.json ? formatLogJson : formatLogLine;
  const log = createLog((entry) => io.err(format(entry)), values.verbose ? "debug" : "info");
  // Listening before the start, so a signal during the catch-up also stops the agent cleanly.
  const signal = waitForSignal();
  try {
    let running: RunningAgent;
    try {
      running = await startAgent(config, { log, fetch: io.fetch });
    } catch (error) {
      log.error("could not start", { error: error instanceof Error ? error.message : String(error) });
      return EXIT_FAILED;
    }
    try {
      const stoppedBy = await Promise.race([signal.received, running.done.then(() => null)]);
      if (stoppedBy) {
        log.info("stopping", { signal: stoppedBy });
        await running.stop();
      }
      return EXIT_OK;
    } catch {
      // The agent logged why it gave up.
      return EXIT_FAILED;
    }
  } finally {
    signal.dispose();
  }
}

function waitForSignal(): { received: Promise<NodeJS.Signals>; dispose: () => void } {
  let resolve: (signal: NodeJS.Signals) => void = () => {};
  const received = new Promise<NodeJS.Signals>((done) => (resolve = done));
  const onInterrupt = () => resolve("SIGINT");
  const onTerminate = () => resolve("SIGTERM");
  process.once("SIGINT", onInterrupt);
  process.once("SIGTERM", onTerminate);
  return {
    received,
    dispose: () => {
      process.off("SIGINT", onInterrupt);
      process.off("SIGTERM", onTerminate);
    },
  };
}

function parseCommandArgs(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: "string", short: "c" },
        json: { type: "boolean" },
        verbose: { type: "boolean", short: "v" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), AGENT_USAGE);
  }
}
