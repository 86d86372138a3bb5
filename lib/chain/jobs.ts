import { PgBoss } from "pg-boss";
import { databaseUrl } from "@/lib/env";
import { runAutoTopUps } from "@/lib/escrow/auto-top-up";
import { scheduleSettlements } from "@/lib/escrow/settlement";
import { logger } from "@/lib/logger";
import { indexEscrowEvents } from "./indexer";
import { processOutbox, type ChainRuntime } from "./outbox-worker";

/**
 * The chain's background work, run by pg-boss on the same PostgreSQL: the outbox worker, the
 * indexer and settlement. Each is a "stately" queue (at most one job waiting and one running,
 * across every process), so a tick from every process never runs the same work twice at once;
 * a process that dies mid-job leaves it to expire and run again elsewhere, which is safe
 * because every step is idempotent.
 */
const QUEUES = {
  outbox: "chain-outbox",
  indexer: "chain-indexer",
  settlement: "chain-settlement",
} as const;

const TICK_MS = 1_000;

export type ChainJobs = { stop(): Promise<void> };

export async function startChainJobs(runtime: ChainRuntime): Promise<ChainJobs> {
  // Supervision every 5 s fails the job of a process that died (no heartbeat for 10 s), so
  // another process takes the work over within seconds instead of at the job's expiry.
  const boss = new PgBoss({
    connectionString: databaseUrl(),
    schema: "pgboss",
    max: 4,
    superviseIntervalSeconds: 5,
    monitorIntervalSeconds: 5,
  });
  boss.on("error", (error: unknown) => logger.warn("job queue error", { error }));
  await boss.start();
  for (const name of Object.values(QUEUES)) {
    // Heartbeats: a job whose process died fails within seconds, so the queue does not wait
    // for the expiry to run the next one.
    await boss.createQueue(name, {
      policy: "stately",
      expireInSeconds: 120,
      heartbeatSeconds: 10,
      retryLimit: 0,
    });
  }
  const work = { pollingIntervalSeconds: 0.5, batchSize: 1 } as const;
  await boss.work(QUEUES.outbox, work, async () => {
    const round = await processOutbox(runtime);
    if (round.signed || round.confirmed || round.failed) logger.debug("outbox round", round);
  });
  await boss.work(QUEUES.indexer, work, async () => {
    await indexEscrowEvents(runtime);
  });
  let lastSettlement = 0;
  await boss.work(QUEUES.settlement, work, async () => {
    await scheduleSettlements(runtime.chain, runtime.settings);
    await runAutoTopUps(runtime.chain, runtime.settings);
  });

  const tick = async () => {
    await boss.send(QUEUES.outbox);
    await boss.send(QUEUES.indexer);
    if (Date.now() - lastSettlement >= runtime.settings.settleIntervalSeconds * 1000) {
      lastSettlement = Date.now();
      await boss.send(QUEUES.settlement);
    }
  };
  const timer = setInterval(() => {
    tick().catch((error: unknown) => logger.warn("could not queue chain work", { error }));
  }, TICK_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await boss.stop({ graceful: true, timeout: 5_000 });
    },
  };
}
