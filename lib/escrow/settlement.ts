import { db, transaction } from "@/lib/db";
import { receiptSeconds } from "@/lib/verify/check-rules";
import type { EscrowChain, Hex } from "./chain-port";
import { enqueueChainTx, IN_FLIGHT_STATUSES } from "./outbox";
import { signerAddress, verifierKey, type EscrowSettings } from "./settings";

/**
 * Scheduled settlement: for every lease running on chain, a usage receipt for its cumulative
 * verified seconds (counted by the verifier from heartbeats and probes, lib/verify), signed by
 * the verifier key, and a "settle" intent carrying it. A receipt never claims more than the
 * lease's elapsed time on chain (the contract would refuse it). A lease with a settle or
 * close still in flight is skipped: receipts are cumulative, the next round covers the time.
 */
export async function scheduleSettlements(
  chain: EscrowChain,
  settings: EscrowSettings,
  options: { minSeconds?: number } = {},
): Promise<number> {
  const leases = await db().lease.findMany({
    where: {
      chainState: "open",
      state: "active",
      escrowAccount: { chainId: settings.chainId },
      chainStartedAt: { not: null },
    },
    select: {
      id: true,
      chainLeaseId: true,
      chainStartedAt: true,
      settledSeconds: true,
      escrowAccountId: true,
      verification: { select: { verifiedMillis: true } },
    },
  });
  if (leases.length === 0) return 0;
  const busy = new Set(
    (
      await db().chainTx.findMany({
        where: {
          leaseId: { in: leases.map((lease) => lease.id) },
          kind: { in: ["settle", "close_lease"] },
          status: { in: [...IN_FLIGHT_STATUSES] },
        },
        select: { leaseId: true },
      })
    ).map((row) => row.leaseId),
  );
  const blockTime = await chainNow(chain, settings);
  const minSeconds = options.minSeconds ?? 1;
  let queued = 0;
  for (const lease of leases) {
    if (busy.has(lease.id)) continue;
    const elapsed = blockTime - Math.floor(lease.chainStartedAt!.getTime() / 1000);
    const verifiedSeconds = receiptSeconds(lease.verification?.verifiedMillis ?? 0n, elapsed);
    if (verifiedSeconds - lease.settledSeconds < minSeconds) continue;
    const chainLeaseId = lease.chainLeaseId as Hex;
    const signature = await chain.signUsageReceipt(verifierKey(settings), chainLeaseId, verifiedSeconds);
    await transaction(async (tx) => {
      // The lease may have closed since it was read: under its row lock, settle only a running one.
      const [current] = await tx.$queryRaw<{ state: string; chainState: string | null }[]>`
        SELECT state, "chainState" FROM lease WHERE id = ${lease.id} FOR UPDATE`;
      if (current?.state !== "active" || current.chainState !== "open") return;
      await tx.usageReceipt.upsert({
        where: { leaseId_verifiedSeconds: { leaseId: lease.id, verifiedSeconds } },
        create: { leaseId: lease.id, verifiedSeconds, signature },
        update: {},
      });
      const { created } = await enqueueChainTx(tx, {
        chainId: settings.chainId,
        call: { kind: "settle", chainLeaseId, verifiedSeconds, signature },
        signer: "operator",
        fromAddress: signerAddress(settings, "operator"),
        idempotencyKey: `settle:${lease.id}:${verifiedSeconds}`,
        escrowAccountId: lease.escrowAccountId,
        leaseId: lease.id,
      });
      if (created) queued++;
    });
  }
  return queued;
}

/** Seconds a receipt's block is sure to be past the latest block or the clock, whichever is later. */
const CLOCK_MARGIN_SECONDS = 2;

/**
 * "Now" for a receipt, in chain time: the latest block's time. A local chain (the one with a
 * faucet) mines a block only for a transaction, so while idle its latest block can be minutes
 * old; its next block takes the clock's time, so there the clock less a margin counts too.
 * On a real chain only block time counts: the contract refuses a receipt beyond the block it
 * is mined in, and a server clock ahead of the chain would make every receipt fail.
 */
export async function chainNow(
  chain: EscrowChain,
  settings: EscrowSettings,
  now = new Date(),
): Promise<number> {
  const blockTime = await chain.latestBlockTime();
  if (!settings.faucet) return blockTime;
  return Math.max(blockTime, Math.floor(now.getTime() / 1000) - CLOCK_MARGIN_SECONDS);
}
