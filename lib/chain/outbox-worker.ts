import { receiptSeconds } from "@/lib/verify/check-rules";
import { db, transaction, type Db } from "@/lib/db";
import type { ChainTx } from "@/lib/db/generated/client";
import type { EscrowCall, EscrowChain, FeeQuote, Hex } from "@/lib/escrow/chain-port";
import { callFromPayload, callToPayload } from "@/lib/escrow/outbox";
import { chainNow } from "@/lib/escrow/settlement";
import { signerKey, verifierKey, type EscrowSettings, type SignerLabel } from "@/lib/escrow/settings";
import { logger } from "@/lib/logger";
import { faultPoint } from "./fault-points";
import { closeLeaseFromChain } from "./indexer";

/**
 * The outbox worker. Each intent goes pending -> signed -> submitted -> confirmed (or failed),
 * and every step is written down before the next one starts:
 *
 * - signing takes the sender's next nonce from chain_nonce (row-locked) and stores the signed
 *   transaction in the same database transaction, so a nonce is never used twice or skipped;
 * - sending resends the stored bytes, so a crash after sending only resends a transaction the
 *   node already has (same hash), never a second one;
 * - confirming looks up every hash ever sent for the intent (a stuck transaction is replaced
 *   at the same nonce with a higher fee, and either may be mined).
 *
 * Several workers may run: row locks keep them from signing the same intent, and a sender's
 * intents are signed strictly in creation order.
 */
export type ChainRuntime = { chain: EscrowChain; settings: EscrowSettings };

export type OutboxRound = { signed: number; sent: number; confirmed: number; failed: number };

const BATCH = 1_000;
const IN_FLIGHT_BATCH = 2_000;
/** Sends (the first and its fee-bumped replacements) per intent before it waits for an admin. */
const MAX_SENDS = 6;
/** A replacement must raise the fee by at least 10% to be accepted; 25% clears every node's rule. */
const FEE_BUMP_PERCENT = 125n;

export async function processOutbox(runtime: ChainRuntime, now = () => new Date()): Promise<OutboxRound> {
  const round: OutboxRound = { signed: 0, sent: 0, confirmed: 0, failed: 0 };
  await advanceInFlight(runtime, round, now);
  await signPending(runtime, round, now);
  return round;
}

/** Sends signed intents, confirms mined ones and replaces stuck ones. */
async function advanceInFlight(runtime: ChainRuntime, round: OutboxRound, now: () => Date): Promise<void> {
  const { chain, settings } = runtime;
  const inFlight = await db().chainTx.findMany({
    where: { chainId: settings.chainId, status: { in: ["signed", "submitted"] } },
    orderBy: { seq: "asc" },
    take: IN_FLIGHT_BATCH,
    include: { sends: { orderBy: { createdAt: "asc" } } },
  });
  if (inFlight.length === 0) return;
  const head = await chain.blockNumber();
  for (const intent of inFlight) {
    const mined = await findMined(
      chain,
      intent.sends.map((send) => send.txHash as Hex),
    );
    if (mined) {
      if (mined.receipt.blockNumber + BigInt(settings.confirmations) - 1n > head) continue;
      faultPoint("outbox.before-confirm");
      const ok = mined.receipt.status === "success";
      await db().chainTx.updateMany({
        where: { id: intent.id, status: { in: ["signed", "submitted"] } },
        data: {
          status: ok ? "confirmed" : "failed",
          txHash: mined.txHash,
          blockNumber: mined.receipt.blockNumber,
          confirmedAt: now(),
          lastError: ok ? null : "the transaction was mined but reverted",
        },
      });
      if (ok) round.confirmed++;
      else {
        round.failed++;
        await afterFailure(intent);
      }
      continue;
    }
    const latest = intent.sends.at(-1);
    if (!latest) continue;
    const waitedMs = now().getTime() - (intent.submittedAt ?? latest.createdAt).getTime();
    // Unmined for too long, or never accepted by the node (a fee below the base fee): sign the
    // same nonce again with a higher fee, a bounded number of times.
    if (waitedMs > settings.stuckTxSeconds * 1000 && intent.sends.length < MAX_SENDS) {
      await replaceStuck(runtime, intent, latest.maxFeePerGas, now);
      round.sent++;
      continue;
    }
    if (intent.status === "signed" || waitedMs > settings.stuckTxSeconds * 1000) {
      if (await send(runtime, intent, latest.rawTx as Hex, now)) round.sent++;
    }
  }
}

async function findMined(chain: EscrowChain, hashes: Hex[]) {
  for (const txHash of hashes) {
    const receipt = await chain.receipt(txHash);
    if (receipt) return { txHash, receipt };
  }
  return null;
}

async function send(runtime: ChainRuntime, intent: ChainTx, rawTx: Hex, now: () => Date): Promise<boolean> {
  try {
    await runtime.chain.sendRawTransaction(rawTx);
  } catch (error) {
    const message = errorText(error);
    if (/nonce too low|nonce has already been used|NONCE_EXPIRED/i.test(message)) {
      await releaseTakenNonce(runtime, intent);
      return false;
    }
    await db().chainTx.update({
      where: { id: intent.id },
      data: { attempts: { increment: 1 }, lastError: message.slice(0, 500) },
    });
    logger.warn("sending a chain transaction failed; it will be sent again", {
      id: intent.id,
      kind: intent.kind,
    });
    return false;
  }
  faultPoint("outbox.after-send");
  await db().chainTx.updateMany({
    where: { id: intent.id, status: { in: ["signed", "submitted"] } },
    data: {
      status: "submitted",
      submittedAt: intent.submittedAt ?? now(),
      attempts: { increment: 1 },
      lastError: null,
    },
  });
  return true;
}

/**
 * The node says our nonce is used, and none of our hashes for it is found: another transaction
 * from the same key took it, or a lagging node has not seen ours yet. Signing again could
 * apply the intent twice, so it fails with a clear error for an admin to check and retry
 * (with a fresh nonce); the sender's next nonce moves past the used one.
 */
async function releaseTakenNonce(runtime: ChainRuntime, intent: ChainTx): Promise<void> {
  const { chain, settings } = runtime;
  const sends = await db().chainTxSend.findMany({ where: { chainTxId: intent.id } });
  if (
    await findMined(
      chain,
      sends.map((s) => s.txHash as Hex),
    )
  )
    return;
  const chainNext = await chain.pendingNonce(intent.fromAddress as Hex);
  await transaction(async (tx) => {
    await tx.chainTx.updateMany({
      where: { id: intent.id, status: { in: ["signed", "submitted"] } },
      data: {
        status: "failed",
        lastError: "its nonce was used by another transaction from the same key; check the chain, then retry",
      },
    });
    await tx.$executeRaw`
      UPDATE chain_nonce SET next = GREATEST(next, ${chainNext})
      WHERE "chainId" = ${settings.chainId} AND address = ${intent.fromAddress}`;
  });
  logger.warn("a chain transaction lost its nonce to another transaction and needs an admin", {
    id: intent.id,
  });
}

async function replaceStuck(runtime: ChainRuntime, intent: ChainTx, previousFee: bigint, now: () => Date) {
  const { chain, settings } = runtime;
  const quote = await chain.feeQuote();
  const bumped = (previousFee * FEE_BUMP_PERCENT) / 100n;
  const fees: FeeQuote = {
    maxFeePerGas: quote.maxFeePerGas > bumped ? quote.maxFeePerGas : bumped,
    maxPriorityFeePerGas:
      quote.maxPriorityFeePerGas > (bumped * 1n) / 10n ? quote.maxPriorityFeePerGas : (bumped * 1n) / 10n,
  };
  const call = callFromPayload(intent.payload);
  const signed = await chain.signTransaction(call, {
    privateKey: signerKey(settings, intent.signer as SignerLabel),
    nonce: intent.nonce!,
    fees,
  });
  await db().chainTxSend.create({
    data: {
      txHash: signed.txHash,
      chainTxId: intent.id,
      rawTx: signed.rawTx,
      maxFeePerGas: fees.maxFeePerGas,
    },
  });
  await db().chainTx.update({
    where: { id: intent.id },
    data: { txHash: signed.txHash, submittedAt: now() },
  });
  logger.info("replaced a stuck chain transaction with a higher fee", { id: intent.id, nonce: intent.nonce });
  await send(runtime, { ...intent, submittedAt: now() }, signed.rawTx, now);
}

/** Signs pending intents, each sender's in creation order, and sends them. */
async function signPending(runtime: ChainRuntime, round: OutboxRound, now: () => Date): Promise<void> {
  const { settings } = runtime;
  const pending = await db().chainTx.findMany({
    where: { chainId: settings.chainId, status: "pending" },
    orderBy: { seq: "asc" },
    take: BATCH,
  });
  // One unsent transaction per sender at a time: a sender that cannot send (no gas) holds
  // back only itself.
  const unsent = await db().chainTx.findMany({
    where: { chainId: settings.chainId, status: "signed" },
    distinct: ["fromAddress"],
    select: { fromAddress: true },
  });
  const blockedSenders = new Set<string>(unsent.map((row) => row.fromAddress));
  let fees: FeeQuote | null = null;
  let blockTime: number | null = null;
  for (const intent of pending) {
    if (blockedSenders.has(intent.fromAddress)) continue;
    blockTime ??= await chainNow(runtime.chain, runtime.settings);
    const prepared = await prepareCall(runtime, intent, blockTime);
    if (prepared === "wait") {
      blockedSenders.add(intent.fromAddress);
      continue;
    }
    if ("refused" in prepared) {
      await db().chainTx.updateMany({
        where: { id: intent.id, status: "pending" },
        data: { status: "failed", lastError: prepared.refused },
      });
      round.failed++;
      await afterFailure(intent);
      continue;
    }
    fees ??= await runtime.chain.feeQuote();
    faultPoint("outbox.before-sign");
    const signed = await signIntent(runtime, intent, prepared, fees);
    if (!signed) {
      blockedSenders.add(intent.fromAddress);
      continue;
    }
    round.signed++;
    faultPoint("outbox.after-sign");
    if (await send(runtime, signed.intent, signed.rawTx, now)) round.sent++;
    else blockedSenders.add(intent.fromAddress);
  }
}

/**
 * The call to sign, "wait" when it depends on something not on chain yet, or the reason it
 * can never be sent. A lease's final receipt is signed here: the lease's start on chain
 * is known only once its open transaction is mined and indexed.
 */
async function prepareCall(
  runtime: ChainRuntime,
  intent: ChainTx,
  blockTime: number,
): Promise<EscrowCall | "wait" | { refused: string }> {
  const call = callFromPayload(intent.payload);
  if (call.kind === "deposit") {
    const account = await db().escrowAccount.findUnique({ where: { chainAccountId: call.chainAccountId } });
    if (!account) return { refused: "no escrow account with this id" };
    if (account.state === "pending") {
      const open = await db().chainTx.findUnique({ where: { idempotencyKey: `open_account:${account.id}` } });
      return open?.status === "failed" ? { refused: "the escrow account never opened on chain" } : "wait";
    }
    if (account.state === "closed") return { refused: "the escrow account is closed" };
    return call;
  }
  if (call.kind !== "close_lease" || call.signature !== "0x") return call;
  const lease = await db().lease.findUnique({
    where: { chainLeaseId: call.chainLeaseId },
    include: { verification: { select: { verifiedMillis: true } } },
  });
  if (!lease) return { refused: "no lease with this id" };
  if (lease.chainState === "closed") return { refused: "the lease was already closed on chain" };
  if (!lease.chainStartedAt) {
    const open = await db().chainTx.findUnique({ where: { idempotencyKey: `open_lease:${lease.id}` } });
    return open?.status === "failed" ? { refused: "the lease never opened on chain" } : "wait";
  }
  const startedAt = Math.floor(lease.chainStartedAt.getTime() / 1000);
  // The close in chain time: chain "now" less how long ago (by this server's clock) the lease
  // closed. Only a duration crosses between the two clocks.
  const sinceClose = Math.max(0, Math.floor((Date.now() - (lease.closedAt ?? new Date()).getTime()) / 1000));
  // Only verified time is paid; the rest of the lease's time goes back to the tenant.
  const verifiedSeconds = receiptSeconds(
    lease.verification?.verifiedMillis ?? 0n,
    Math.max(0, blockTime - sinceClose - startedAt),
  );
  if (verifiedSeconds <= lease.settledSeconds) return { ...call, verifiedSeconds: 0, signature: "0x" };
  const signature = await runtime.chain.signUsageReceipt(
    verifierKey(runtime.settings),
    call.chainLeaseId,
    verifiedSeconds,
  );
  await db().usageReceipt.upsert({
    where: { leaseId_verifiedSeconds: { leaseId: lease.id, verifiedSeconds } },
    create: { leaseId: lease.id, verifiedSeconds, signature },
    update: {},
  });
  return { ...call, verifiedSeconds, signature };
}

async function signIntent(
  runtime: ChainRuntime,
  intent: ChainTx,
  call: EscrowCall,
  fees: FeeQuote,
): Promise<{ intent: ChainTx; rawTx: Hex } | null> {
  const { chain, settings } = runtime;
  const chainNext = await chain.pendingNonce(intent.fromAddress as Hex);
  return transaction(async (tx) => {
    const nonce = await takeNonce(tx, settings.chainId, intent.fromAddress, chainNext);
    const locked = await tx.$queryRaw<{ status: string }[]>`
      SELECT status FROM chain_tx WHERE id = ${intent.id} FOR UPDATE`;
    if (locked[0]?.status !== "pending") return null;
    const signed = await chain.signTransaction(call, {
      privateKey: signerKey(settings, intent.signer as SignerLabel),
      nonce,
      fees,
    });
    await tx.chainTxSend.create({
      data: {
        txHash: signed.txHash,
        chainTxId: intent.id,
        rawTx: signed.rawTx,
        maxFeePerGas: fees.maxFeePerGas,
      },
    });
    const updated = await tx.chainTx.update({
      where: { id: intent.id },
      data: { status: "signed", nonce, txHash: signed.txHash, payload: callToPayload(call) },
    });
    await tx.chainNonce.update({
      where: { chainId_address: { chainId: settings.chainId, address: intent.fromAddress } },
      data: { next: nonce + 1 },
    });
    return { intent: updated, rawTx: signed.rawTx };
  });
}

/** The sender's next nonce, row-locked until the caller's transaction ends. */
async function takeNonce(tx: Db, chainId: number, address: string, chainNext: number): Promise<number> {
  await tx.$executeRaw`
    INSERT INTO chain_nonce ("chainId", address, next) VALUES (${chainId}, ${address}, ${chainNext})
    ON CONFLICT ("chainId", address) DO NOTHING`;
  const rows = await tx.$queryRaw<{ next: number }[]>`
    SELECT next FROM chain_nonce WHERE "chainId" = ${chainId} AND address = ${address} FOR UPDATE`;
  return rows[0]!.next;
}

/** The node's own words, without the request (viem's full message names the RPC URL, which may hold a key). */
function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { shortMessage, details } = error as { shortMessage?: unknown; details?: unknown };
  const head = typeof shortMessage === "string" ? shortMessage : error.message.split("\n")[0]!;
  return typeof details === "string" && details ? `${head} (${details})` : head;
}

/**
 * What a failed intent leaves behind: a lease the contract never opened (its escrow ran dry
 * or closed first) can never be paid, so it closes as insufficient_funds.
 */
async function afterFailure(intent: ChainTx): Promise<void> {
  if (intent.kind !== "open_lease") return;
  const call = callFromPayload(intent.payload);
  if (call.kind === "open_lease") await closeLeaseFromChain(call.chainLeaseId, "insufficient_funds");
}
