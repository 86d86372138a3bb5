import type { Db, LeaseCloseReason } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { chainIdOf, ratePerSecond, tokenUnitsFromMicroUsd } from "./amounts";
import type { Hex } from "./chain-port";
import { enqueueChainTx } from "./outbox";
import { signerAddress, walletAddressOf, type EscrowSettings } from "./settings";

/**
 * Escrow bookkeeping that rides along with market changes, inside their transactions:
 * the managed wallet of an account, the escrow account of a deployment, and the chain
 * intents an accepted or closed lease and a closed deployment need.
 */

/** The account's managed wallet address, recorded on first use (the key itself is derived, never stored). */
export async function ensureWallet(db: Db, settings: EscrowSettings, accountId: string): Promise<Hex> {
  const address = walletAddressOf(settings, accountId);
  await db.wallet.upsert({ where: { accountId }, create: { accountId, address }, update: {} });
  return address;
}

export type EscrowAccountRow = {
  id: string;
  deploymentId: string;
  chainAccountId: Hex;
  ownerAddress: Hex;
  state: "pending" | "open" | "overdrawn" | "closed";
};

/** The deployment's escrow account; the first call records it and queues "open account". */
export async function ensureEscrowAccount(
  db: Db,
  settings: EscrowSettings,
  deployment: { id: string; tenantId: string },
): Promise<EscrowAccountRow> {
  const existing = await db.escrowAccount.findUnique({ where: { deploymentId: deployment.id } });
  if (existing) return existing as EscrowAccountRow;
  const owner = await ensureWallet(db, settings, deployment.tenantId);
  const chainAccountId = chainIdOf(deployment.id);
  const row = await db.escrowAccount.create({
    data: {
      deploymentId: deployment.id,
      chainId: settings.chainId,
      chainAccountId,
      ownerAddress: owner,
      tokenAddress: settings.tokenAddress,
    },
  });
  await enqueueChainTx(db, {
    chainId: settings.chainId,
    call: { kind: "open_account", chainAccountId, owner },
    signer: "operator",
    fromAddress: signerAddress(settings, "operator"),
    idempotencyKey: `open_account:${row.id}`,
    escrowAccountId: row.id,
  });
  return row as EscrowAccountRow;
}

/**
 * Called by accept in its transaction: a lease on a deployment's order is paid through
 * the deployment's escrow, so queue "open lease" at the accepted price.
 */
export async function openLeaseEscrow(
  db: Db,
  settings: EscrowSettings | null,
  lease: { id: string; pricePerHour: bigint; providerAccountId: string },
  deployment: { id: string; tenantId: string } | null,
): Promise<void> {
  if (!settings || !deployment) return;
  const account = await ensureEscrowAccount(db, settings, deployment);
  if (account.state === "overdrawn" || account.state === "closed") {
    // The contract opens leases only on an open account: the lease would never be paid.
    throw new AppError(
      "INVALID_STATE",
      account.state === "overdrawn"
        ? "the deployment's escrow ran out of funds: deposit to reopen it, then accept"
        : "the deployment's escrow is closed",
    );
  }
  const provider = await ensureWallet(db, settings, lease.providerAccountId);
  const chainLeaseId = chainIdOf(lease.id);
  await db.lease.update({
    where: { id: lease.id },
    data: { chainLeaseId, chainState: "pending", escrowAccountId: account.id },
  });
  await enqueueChainTx(db, {
    chainId: settings.chainId,
    call: {
      kind: "open_lease",
      chainLeaseId,
      chainAccountId: account.chainAccountId,
      provider,
      ratePerSecond: ratePerSecond(tokenUnitsFromMicroUsd(lease.pricePerHour, settings.tokenDecimals)),
    },
    signer: "operator",
    fromAddress: signerAddress(settings, "operator"),
    idempotencyKey: `open_lease:${lease.id}`,
    escrowAccountId: account.id,
    leaseId: lease.id,
  });
}

/**
 * Called when a lease closes in the database: unless the chain closed it first (the indexer
 * saw it run out of funds), queue "close lease". The worker signs the final usage receipt
 * when it sends it, since the lease's start on chain may not be known yet.
 */
export async function closeLeaseEscrow(
  db: Db,
  settings: EscrowSettings | null,
  leaseId: string,
  reason: LeaseCloseReason,
): Promise<void> {
  const lease = await db.lease.findUnique({
    where: { id: leaseId },
    select: { chainLeaseId: true, chainState: true, escrowAccountId: true },
  });
  if (!settings || !lease?.chainLeaseId || lease.chainState === "closed") return;
  await enqueueChainTx(db, {
    chainId: settings.chainId,
    call: {
      kind: "close_lease",
      chainLeaseId: lease.chainLeaseId as Hex,
      reason,
      verifiedSeconds: 0,
      signature: "0x",
    },
    signer: "operator",
    fromAddress: signerAddress(settings, "operator"),
    idempotencyKey: `close_lease:${leaseId}`,
    escrowAccountId: lease.escrowAccountId,
    leaseId,
  });
}

/** Called when a deployment closes, after its leases: queue "close account", which refunds the rest. */
export async function closeEscrowAccount(
  db: Db,
  settings: EscrowSettings | null,
  deploymentId: string,
): Promise<void> {
  const account = await db.escrowAccount.findUnique({ where: { deploymentId } });
  if (!settings || !account || account.state === "closed") return;
  await enqueueChainTx(db, {
    chainId: settings.chainId,
    call: { kind: "close_account", chainAccountId: account.chainAccountId as Hex },
    signer: "operator",
    fromAddress: signerAddress(settings, "operator"),
    idempotencyKey: `close_account:${account.id}`,
    escrowAccountId: account.id,
  });
}
