import type { Db } from "@/lib/db";
import type { LedgerKind } from "@/lib/db";

/**
 * The double-entry ledger. Every money movement the chain reports becomes one group of
 * entries that sums to zero, written once (the group key is the event's txHash:logIndex).
 * Balances are sums of entries, never stored.
 *
 * Ledger accounts: escrow:<escrowAccountId> (a deployment's escrow), payee:<chainId>:<address>
 * (what the contract owes a provider or the treasury), external:<chainId>:<address> (the
 * world outside the escrow: wallets money came from or went to). Addresses are scoped by
 * chain: the same key has separate money on every chain.
 */
export const ledgerAccount = {
  escrow: (escrowAccountId: string) => `escrow:${escrowAccountId}`,
  payee: (chainId: number, address: string) => `payee:${chainId}:${address.toLowerCase()}`,
  external: (chainId: number, address: string) => `external:${chainId}:${address.toLowerCase()}`,
};

export type LedgerLine = { account: string; amount: bigint };

export type LedgerGroup = {
  group: string;
  kind: LedgerKind;
  lines: LedgerLine[];
  escrowAccountId?: string | null;
  leaseId?: string | null;
  txHash: string;
  blockNumber: bigint;
};

/** Writes a group once; a second write of the same group changes nothing. Returns whether it was new. */
export async function postLedgerGroup(db: Db, group: LedgerGroup): Promise<boolean> {
  const sum = group.lines.reduce((total, line) => total + line.amount, 0n);
  if (sum !== 0n) throw new Error(`ledger group ${group.group} does not balance (sum ${sum})`);
  const lines = group.lines.filter((line) => line.amount !== 0n);
  if (lines.length === 0) return false;
  const result = await db.ledgerEntry.createMany({
    data: lines.map((line) => ({
      entryGroup: group.group,
      ledgerAccount: line.account,
      amount: line.amount,
      kind: group.kind,
      escrowAccountId: group.escrowAccountId ?? null,
      leaseId: group.leaseId ?? null,
      txHash: group.txHash,
      blockNumber: group.blockNumber,
    })),
    skipDuplicates: true,
  });
  return result.count > 0;
}

export async function ledgerBalance(db: Db, account: string): Promise<bigint> {
  const result = await db.ledgerEntry.aggregate({
    where: { ledgerAccount: account },
    _sum: { amount: true },
  });
  return result._sum.amount ?? 0n;
}

export async function ledgerBalances(db: Db, accounts: string[]): Promise<Map<string, bigint>> {
  const balances = new Map(accounts.map((account) => [account, 0n]));
  if (accounts.length === 0) return balances;
  const rows = await db.ledgerEntry.groupBy({
    by: ["ledgerAccount"],
    where: { ledgerAccount: { in: accounts } },
    _sum: { amount: true },
  });
  for (const row of rows) balances.set(row.ledgerAccount, row._sum.amount ?? 0n);
  return balances;
}

/** Sum of every entry ever written: zero unless the ledger is broken. */
export async function ledgerTotal(db: Db): Promise<bigint> {
  const result = await db.ledgerEntry.aggregate({ _sum: { amount: true } });
  return result._sum.amount ?? 0n;
}
