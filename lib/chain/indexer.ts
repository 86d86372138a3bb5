import { db } from "@/lib/db";
import type { ChainCloseReason, EscrowEvent, Hex } from "@/lib/escrow/chain-port";
import { ledgerAccount, postLedgerGroup } from "@/lib/escrow/ledger";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { closeLeaseLocked } from "@/lib/market/close-lease";
import { marketTransaction } from "@/lib/market/market-transaction";
import { findLease, lockOrder } from "@/lib/market/market.repository";
import type { ChainRuntime } from "./outbox-worker";

/**
 * The indexer: reads the escrow contract's events from a cursor kept in the database and
 * makes the database follow the chain: escrow account and lease states, and the ledger.
 * Each event is applied in its own transaction and is idempotent (ledger groups are keyed by
 * txHash:logIndex), so a crash between an event and the cursor only replays harmless work.
 */
const CHUNK_BLOCKS = 2_000n;

export function cursorName(runtime: ChainRuntime): string {
  return `escrow:${runtime.settings.chainId}:${runtime.settings.escrowAddress}`;
}

export async function indexEscrowEvents(runtime: ChainRuntime): Promise<{ events: number; toBlock: bigint }> {
  const { chain, settings } = runtime;
  const name = cursorName(runtime);
  const cursor = await db().chainCursor.findUnique({ where: { name } });
  let from = cursor ? cursor.block + 1n : env().ESCROW_START_BLOCK;
  const head = (await chain.blockNumber()) - BigInt(settings.confirmations - 1);
  let applied = 0;
  if (from > head) return { events: 0, toBlock: from - 1n };
  // Read once per run, and only when there is an event to apply.
  let treasury: Hex | undefined;
  while (from <= head) {
    const to = from + CHUNK_BLOCKS - 1n < head ? from + CHUNK_BLOCKS - 1n : head;
    const events = await chain.escrowEvents(from, to);
    for (const event of events) {
      treasury ??= (await chain.treasury()).toLowerCase() as Hex;
      await applyEvent(event, treasury, settings.chainId);
      applied++;
    }
    await db().chainCursor.upsert({ where: { name }, create: { name, block: to }, update: { block: to } });
    from = to + 1n;
  }
  return { events: applied, toBlock: head };
}

async function applyEvent(event: EscrowEvent, treasury: Hex, chainId: number): Promise<void> {
  const base = { group: event.key, txHash: event.txHash, blockNumber: event.blockNumber };
  switch (event.name) {
    case "AccountOpened":
      await db().escrowAccount.updateMany({
        where: { chainAccountId: event.chainAccountId, state: "pending" },
        data: { state: "open" },
      });
      return;
    case "Deposited": {
      const account = await escrowOf(event.chainAccountId);
      if (!account) return;
      await postLedgerGroup(db(), {
        ...base,
        kind: "deposit",
        escrowAccountId: account.id,
        lines: [
          { account: ledgerAccount.escrow(account.id), amount: event.amount },
          { account: ledgerAccount.external(chainId, event.depositor), amount: -event.amount },
        ],
      });
      await db().escrowAccount.updateMany({
        where: { id: account.id, state: { in: ["pending", "overdrawn"] } },
        data: { state: "open" },
      });
      return;
    }
    case "LeaseOpened":
      await db().lease.updateMany({
        where: { chainLeaseId: event.chainLeaseId, chainState: "pending" },
        data: { chainState: "open", chainStartedAt: new Date(event.startTime * 1000) },
      });
      return;
    case "LeaseSettled": {
      const account = await escrowOf(event.chainAccountId);
      const lease = await db().lease.findUnique({
        where: { chainLeaseId: event.chainLeaseId },
        select: { id: true },
      });
      if (!account) return;
      await marketTransaction(async (tx) => {
        const created = await postLedgerGroup(tx, {
          ...base,
          kind: "settlement",
          escrowAccountId: account.id,
          leaseId: lease?.id ?? null,
          lines: [
            { account: ledgerAccount.escrow(account.id), amount: -event.amount },
            { account: ledgerAccount.payee(chainId, event.provider), amount: event.amount - event.fee },
            { account: ledgerAccount.payee(chainId, treasury), amount: event.fee },
          ],
        });
        if (!lease) return;
        // Seconds follow the chain even when nothing was paid (an empty escrow); the amount
        // moves only with a new ledger group, so a replay adds nothing.
        await tx.$executeRaw`
          UPDATE lease SET "settledSeconds" = GREATEST("settledSeconds", ${event.verifiedSeconds}),
                           "paidAmount" = "paidAmount" + ${created ? event.amount : 0n}
          WHERE id = ${lease.id}`;
      });
      return;
    }
    case "AccountOverdrawn":
      await db().escrowAccount.updateMany({
        where: { chainAccountId: event.chainAccountId, state: { in: ["pending", "open"] } },
        data: { state: "overdrawn" },
      });
      return;
    case "LeaseClosed":
      await closeLeaseFromChain(event.chainLeaseId, event.reason);
      return;
    case "Refunded": {
      const account = await escrowOf(event.chainAccountId);
      if (!account) return;
      await postLedgerGroup(db(), {
        ...base,
        kind: "refund",
        escrowAccountId: account.id,
        lines: [
          { account: ledgerAccount.escrow(account.id), amount: -event.amount },
          { account: ledgerAccount.external(chainId, event.depositor), amount: event.amount },
        ],
      });
      return;
    }
    case "AccountClosed":
      await db().escrowAccount.updateMany({
        where: { chainAccountId: event.chainAccountId, state: { not: "closed" } },
        data: { state: "closed", closedAt: new Date() },
      });
      return;
    case "Withdrawn":
      await postLedgerGroup(db(), {
        ...base,
        kind: "withdrawal",
        lines: [
          { account: ledgerAccount.payee(chainId, event.payee), amount: -event.amount },
          { account: ledgerAccount.external(chainId, event.to), amount: event.amount },
        ],
      });
      return;
  }
}

async function escrowOf(chainAccountId: Hex) {
  const account = await db().escrowAccount.findUnique({ where: { chainAccountId } });
  if (!account) logger.warn("escrow event for an account this marketplace does not know", { chainAccountId });
  return account;
}

/**
 * The contract closed a lease (it ran out of funds, or a close we sent was mined): mark it
 * closed on chain and, if the marketplace still runs it, close it there too. Marking the
 * chain state first keeps closeLeaseLocked from queueing a second close for the chain.
 */
export async function closeLeaseFromChain(chainLeaseId: Hex, reason: ChainCloseReason): Promise<void> {
  await marketTransaction(async (tx, emit) => {
    const row = await tx.lease.findUnique({ where: { chainLeaseId }, select: { id: true, orderId: true } });
    if (!row) return;
    // The order's lock first, as every other lease change takes it (see docs/order-locking.md).
    await lockOrder(tx, row.orderId);
    await tx.lease.update({ where: { id: row.id }, data: { chainState: "closed" } });
    const lease = await findLease(tx, row.id);
    if (lease && lease.state === "active") await closeLeaseLocked(tx, emit, lease, reason, new Date());
  });
}
