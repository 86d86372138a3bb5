import { db } from "@/lib/db";
import { IN_FLIGHT_STATUSES } from "@/lib/escrow/outbox";
import { indexEscrowEvents } from "./indexer";
import { processOutbox, type ChainRuntime } from "./outbox-worker";

/**
 * Runs the outbox and the indexer until no intent of this chain is in flight and the indexer
 * has read the head (or the deadline passes). For the standalone worker's --once mode and
 * for tests; the server runs the same steps from its job queue.
 */
export async function drainChain(
  runtime: ChainRuntime,
  options: { timeoutMs?: number; pauseMs?: number } = {},
): Promise<{ idle: boolean; rounds: number }> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let rounds = 0;
  while (Date.now() < deadline) {
    rounds++;
    await processOutbox(runtime);
    await indexEscrowEvents(runtime);
    const inFlight = await db().chainTx.count({
      where: { chainId: runtime.settings.chainId, status: { in: [...IN_FLIGHT_STATUSES] } },
    });
    if (inFlight === 0) {
      await indexEscrowEvents(runtime);
      return { idle: true, rounds };
    }
    await new Promise((resolve) => setTimeout(resolve, options.pauseMs ?? 100));
  }
  return { idle: false, rounds };
}
