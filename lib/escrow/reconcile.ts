import { requireRole, type Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db";
import { readChain, requireChain } from "./chain-reads";
import type { EscrowChain, Hex } from "./chain-port";
import { ledgerAccount, ledgerBalances, ledgerTotal } from "./ledger";
import type { EscrowSettings } from "./settings";

/**
 * Reconciliation: every escrow account, lease and payee the database knows, compared with
 * the contract. A difference is listed with both values; an empty list means the database
 * and the chain agree to the base unit. Run it when the indexer has caught up (the result
 * says how far it had read).
 */
export type Difference = {
  subject: "escrow_account" | "lease" | "payee" | "ledger" | "contract";
  id: string;
  field: string;
  database: string;
  chain: string;
};

export type Reconciliation = {
  checkedAt: Date;
  chainId: number;
  headBlock: bigint;
  indexedBlock: bigint | null;
  accounts: number;
  leases: number;
  payees: number;
  differences: Difference[];
};

const STATE_ON_CHAIN: Record<string, string> = {
  pending: "none",
  open: "open",
  overdrawn: "overdrawn",
  closed: "closed",
};

export async function reconcile(chain: EscrowChain, settings: EscrowSettings): Promise<Reconciliation> {
  const differences: Difference[] = [];
  const headBlock = await chain.blockNumber();
  const cursor = await db().chainCursor.findUnique({
    where: { name: `escrow:${settings.chainId}:${settings.escrowAddress}` },
  });

  const accounts = await db().escrowAccount.findMany({ where: { chainId: settings.chainId } });
  const balances = await ledgerBalances(
    db(),
    accounts.map((account) => ledgerAccount.escrow(account.id)),
  );
  let sumOfBalances = 0n;
  for (const account of accounts) {
    const onChain = await chain.readAccount(account.chainAccountId as Hex);
    const balance = balances.get(ledgerAccount.escrow(account.id)) ?? 0n;
    sumOfBalances += onChain.balance;
    if (balance !== onChain.balance) {
      differences.push({
        subject: "escrow_account",
        id: account.id,
        field: "balance",
        database: `${balance}`,
        chain: `${onChain.balance}`,
      });
    }
    if (STATE_ON_CHAIN[account.state] !== onChain.state) {
      differences.push({
        subject: "escrow_account",
        id: account.id,
        field: "state",
        database: account.state,
        chain: onChain.state,
      });
    }
  }

  const leases = await db().lease.findMany({
    where: { chainLeaseId: { not: null }, escrowAccount: { chainId: settings.chainId } },
    select: {
      id: true,
      state: true,
      chainLeaseId: true,
      chainState: true,
      settledSeconds: true,
      paidAmount: true,
    },
  });
  for (const lease of leases) {
    const onChain = await chain.readLease(lease.chainLeaseId as Hex);
    if (lease.state === "closed" && onChain.state === "open") {
      // Closed here, still billing there: its close has not reached the chain (yet).
      differences.push({
        subject: "lease",
        id: lease.id,
        field: "closed",
        database: "closed",
        chain: "open",
      });
    }
    const state = lease.chainState === "pending" ? "none" : lease.chainState;
    if (state !== onChain.state) {
      differences.push({
        subject: "lease",
        id: lease.id,
        field: "state",
        database: `${lease.chainState}`,
        chain: onChain.state,
      });
    }
    if (lease.settledSeconds !== onChain.settledSeconds) {
      differences.push({
        subject: "lease",
        id: lease.id,
        field: "settledSeconds",
        database: `${lease.settledSeconds}`,
        chain: `${onChain.settledSeconds}`,
      });
    }
    if (lease.paidAmount !== onChain.paid) {
      differences.push({
        subject: "lease",
        id: lease.id,
        field: "paid",
        database: `${lease.paidAmount}`,
        chain: `${onChain.paid}`,
      });
    }
  }

  const payeeRows = await db().ledgerEntry.findMany({
    where: { ledgerAccount: { startsWith: `payee:${settings.chainId}:` } },
    distinct: ["ledgerAccount"],
    select: { ledgerAccount: true },
  });
  const payees = payeeRows.map((row) => row.ledgerAccount);
  const owedInDb = await ledgerBalances(db(), payees);
  let sumOfOwed = 0n;
  for (const payee of payees) {
    const address = payee.slice(`payee:${settings.chainId}:`.length) as Hex;
    const owed = await chain.owed(address);
    sumOfOwed += owed;
    const inDb = owedInDb.get(payee) ?? 0n;
    if (inDb !== owed) {
      differences.push({
        subject: "payee",
        id: address,
        field: "owed",
        database: `${inDb}`,
        chain: `${owed}`,
      });
    }
  }

  const total = await ledgerTotal(db());
  if (total !== 0n) {
    differences.push({
      subject: "ledger",
      id: "all entries",
      field: "sum",
      database: `${total}`,
      chain: "0",
    });
  }
  const held = await chain.tokenBalance(settings.escrowAddress);
  if (held < sumOfBalances + sumOfOwed) {
    differences.push({
      subject: "contract",
      id: settings.escrowAddress,
      field: "token balance covers balances + owed",
      database: `${sumOfBalances + sumOfOwed}`,
      chain: `${held}`,
    });
  }

  return {
    checkedAt: new Date(),
    chainId: settings.chainId,
    headBlock,
    indexedBlock: cursor?.block ?? null,
    accounts: accounts.length,
    leases: leases.length,
    payees: payees.length,
    differences,
  };
}

/** Admin: reconciliation now, on the configured chain (409 without one, 502 when its RPC fails). */
export async function reconcileAsAdmin(
  principal: Principal,
  runtime: { chain: EscrowChain; settings: EscrowSettings } | null,
): Promise<Reconciliation> {
  requireRole(principal, "admin");
  const { chain, settings } = requireChain(runtime);
  return readChain(() => reconcile(chain, settings));
}
