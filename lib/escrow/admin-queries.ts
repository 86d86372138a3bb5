import { requireRole, type Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db";
import type { ChainTxStatus } from "@/lib/db";
import { ledgerAccount, ledgerBalances } from "./ledger";

/** Admin read models: every escrow account with its ledger balance, and the outbox. */

export type AdminEscrowRow = {
  id: string;
  deploymentId: string;
  deploymentName: string;
  tenantEmail: string | null;
  state: "pending" | "open" | "overdrawn" | "closed";
  chainAccountId: string;
  balance: bigint;
  activeLeases: number;
  createdAt: Date;
};

export async function adminListEscrowAccounts(principal: Principal, take = 100): Promise<AdminEscrowRow[]> {
  requireRole(principal, "admin");
  const accounts = await db().escrowAccount.findMany({
    orderBy: { createdAt: "desc" },
    take,
    include: {
      deployment: { select: { name: true, tenant: { select: { email: true } } } },
      _count: { select: { leases: { where: { state: "active" } } } },
    },
  });
  const balances = await ledgerBalances(
    db(),
    accounts.map((account) => ledgerAccount.escrow(account.id)),
  );
  return accounts.map((account) => ({
    id: account.id,
    deploymentId: account.deploymentId,
    deploymentName: account.deployment.name,
    tenantEmail: account.deployment.tenant.email,
    state: account.state,
    chainAccountId: account.chainAccountId,
    balance: balances.get(ledgerAccount.escrow(account.id)) ?? 0n,
    activeLeases: account._count.leases,
    createdAt: account.createdAt,
  }));
}

export type AdminChainTxRow = {
  id: string;
  kind: string;
  status: ChainTxStatus;
  signer: string;
  fromAddress: string;
  nonce: number | null;
  txHash: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
};

export async function adminListChainTxs(
  principal: Principal,
  filter: { statuses?: ChainTxStatus[]; take?: number } = {},
): Promise<{ rows: AdminChainTxRow[]; counts: Record<ChainTxStatus, number> }> {
  requireRole(principal, "admin");
  const rows = await db().chainTx.findMany({
    where: filter.statuses ? { status: { in: filter.statuses } } : {},
    orderBy: { seq: "desc" },
    take: filter.take ?? 100,
  });
  const grouped = await db().chainTx.groupBy({ by: ["status"], _count: { _all: true } });
  const counts: Record<ChainTxStatus, number> = {
    pending: 0,
    signed: 0,
    submitted: 0,
    confirmed: 0,
    failed: 0,
  };
  for (const group of grouped) counts[group.status] = group._count._all;
  return {
    rows: rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      status: row.status,
      signer: row.signer.startsWith("wallet:") ? "wallet" : row.signer,
      fromAddress: row.fromAddress,
      nonce: row.nonce,
      txHash: row.txHash,
      attempts: row.attempts,
      lastError: row.lastError,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    })),
    counts,
  };
}
