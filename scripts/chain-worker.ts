/**
 * `npm run chain-worker`: the chain's outbox worker, indexer and settlement as a process of
 * its own (the server also runs them). `--once` works until nothing is in flight, then exits.
 * Reads the same environment as the server.
 */
import { drainChain } from "@/lib/chain/drain";
import { startChainJobs } from "@/lib/chain/jobs";
import { chainRuntime } from "@/lib/chain/runtime";
import { disconnectDb } from "@/lib/db";
import { logger } from "@/lib/logger";

async function main(): Promise<void> {
  const runtime = chainRuntime();
  if (!runtime)
    throw new Error(
      "no chain is configured (EVM_RPC_URL, EVM_CHAIN_ID, ESCROW_ADDRESS, TOKEN_ADDRESS, CHAIN_MASTER_SECRET)",
    );
  if (process.argv.includes("--once")) {
    const result = await drainChain(runtime, { timeoutMs: 60_000 });
    await disconnectDb();
    process.exit(result.idle ? 0 : 1);
  }
  const jobs = await startChainJobs(runtime);
  logger.info("chain worker running", { chainId: runtime.settings.chainId });
  const stop = async () => {
    await jobs.stop();
    await disconnectDb();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
