import { db } from "@/lib/db";
import type { ChainTx } from "@/lib/db";
import { ratePerSecond, runwaySeconds, tokenUnitsFromMicroUsd, unsettledCost } from "./amounts";
import { ledgerAccount, ledgerBalance } from "./ledger";
import { inFlightDeposits, IN_FLIGHT_STATUSES } from "./outbox";
import type { EscrowSettings } from "./settings";

/**
 * Read models of the escrow: a deployment's escrow with its runway, a provider's earnings,
 * and the admin's lists. Every balance is a sum of ledger entries; what has run since the
 * last settlement is an estimate (rate x time) shown as such.
 */
export type EscrowTransaction = {
  id: string;
  kind: string;
  status: ChainTx["status"];
  amount: bigint | null;
  txHash: string | null;
  lastError: string | null;
  createdAt: Date;
  confirmedAt: Date | null;
};

export type EscrowView = {
  id: string;
  state: "pending" | "open" | "overdrawn" | "closed";
  chainAccountId: string;
  ownerAddress: string;
  tokenSymbol: string;
  tokenDecimals: number;
  balance: bigint;
  deposited: bigint;
  paidOut: bigint;
  refunded: bigint;
  pendingDeposits: bigint;
  /** Run since the last settlement and not paid yet (estimate). */
  unsettled: bigint;
  /** Sum of the hourly prices of the leases it pays for now. */
  ratePerHour: bigint;
  runwaySeconds: bigint | null;
  lowRunway: boolean;
  autoTopUp: { amount: bigint; belowSeconds: number } | null;
  transactions: EscrowTransaction[];
};

function toTransaction(row: ChainTx): EscrowTransaction {
  const payload = row.payload as { amount?: string };
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    amount: typeof payload.amount === "string" && payload.amount !== "-1" ? BigInt(payload.amount) : null,
    txHash: row.txHash,
    lastError: row.lastError,
    createdAt: row.createdAt,
    confirmedAt: row.confirmedAt,
  };
}

export async function escrowOfDeployment(
  settings: EscrowSettings,
  deploymentId: string,
  now = new Date(),
): Promise<EscrowView | null> {
  const account = await db().escrowAccount.findUnique({ where: { deploymentId } });
  if (!account) return null;
  const sums = await db().ledgerEntry.groupBy({
    by: ["kind"],
    where: { ledgerAccount: ledgerAccount.escrow(account.id) },
    _sum: { amount: true },
  });
  const sumOf = (kind: string) => sums.find((row) => row.kind === kind)?._sum.amount ?? 0n;
  const balance = sums.reduce((total, row) => total + (row._sum.amount ?? 0n), 0n);
  const leases = await db().lease.findMany({
    where: { escrowAccountId: account.id, state: "active" },
    select: { pricePerHour: true, chainStartedAt: true, settledSeconds: true },
  });
  let ratePerHour = 0n;
  let totalRate = 0n;
  let unsettled = 0n;
  for (const lease of leases) {
    const perHour = tokenUnitsFromMicroUsd(lease.pricePerHour, settings.tokenDecimals);
    const rate = ratePerSecond(perHour);
    ratePerHour += perHour;
    totalRate += rate;
    if (lease.chainStartedAt)
      unsettled += unsettledCost(rate, lease.chainStartedAt, lease.settledSeconds, now);
  }
  const spendable = balance - unsettled > 0n ? balance - unsettled : 0n;
  const runway = runwaySeconds(spendable, totalRate);
  const intents = await db().chainTx.findMany({
    where: { escrowAccountId: account.id },
    orderBy: { seq: "desc" },
    take: 20,
  });
  const pendingDeposits = await inFlightDeposits(db(), { escrowAccountId: account.id });
  return {
    id: account.id,
    state: account.state,
    chainAccountId: account.chainAccountId,
    ownerAddress: account.ownerAddress,
    tokenSymbol: settings.tokenSymbol,
    tokenDecimals: settings.tokenDecimals,
    balance,
    deposited: sumOf("deposit"),
    paidOut: -sumOf("settlement"),
    refunded: -sumOf("refund"),
    pendingDeposits,
    unsettled: unsettled < balance ? unsettled : balance > 0n ? balance : 0n,
    ratePerHour,
    runwaySeconds: runway,
    lowRunway: runway !== null && runway < BigInt(settings.runwayWarningSeconds),
    autoTopUp:
      account.autoTopUpAmount !== null && account.autoTopUpBelowSeconds !== null
        ? { amount: account.autoTopUpAmount, belowSeconds: account.autoTopUpBelowSeconds }
        : null,
    transactions: intents.map(toTransaction),
  };
}

export type Payout = { amount: bigint; to: string; txHash: string; at: Date };

export type Earnings = {
  address: string;
  withdrawable: bigint;
  accrued: bigint;
  totalEarned: bigint;
  payouts: Payout[];
  pendingWithdrawal: EscrowTransaction | null;
  tokenSymbol: string;
  tokenDecimals: number;
};

export async function providerEarnings(
  settings: EscrowSettings,
  address: string,
  providerId: string | null,
  now = new Date(),
): Promise<Earnings> {
  const payee = ledgerAccount.payee(settings.chainId, address);
  const withdrawable = await ledgerBalance(db(), payee);
  const earned = await db().ledgerEntry.aggregate({
    where: { ledgerAccount: payee, kind: "settlement" },
    _sum: { amount: true },
  });
  const withdrawals = await db().ledgerEntry.findMany({
    where: { ledgerAccount: payee, kind: "withdrawal" },
    orderBy: { id: "desc" },
    take: 50,
  });
  const destinations = await db().ledgerEntry.findMany({
    where: {
      entryGroup: { in: withdrawals.map((row) => row.entryGroup) },
      ledgerAccount: { startsWith: `external:${settings.chainId}:` },
    },
    select: { entryGroup: true, ledgerAccount: true },
  });
  const toOf = new Map(
    destinations.map((row) => [
      row.entryGroup,
      row.ledgerAccount.slice(`external:${settings.chainId}:`.length),
    ]),
  );
  let accrued = 0n;
  if (providerId) {
    const leases = await db().lease.findMany({
      where: { providerId, state: "active", chainState: "open", chainStartedAt: { not: null } },
      select: { pricePerHour: true, chainStartedAt: true, settledSeconds: true },
    });
    for (const lease of leases) {
      const rate = ratePerSecond(tokenUnitsFromMicroUsd(lease.pricePerHour, settings.tokenDecimals));
      accrued += unsettledCost(rate, lease.chainStartedAt!, lease.settledSeconds, now);
    }
  }
  const pending = await db().chainTx.findFirst({
    where: {
      chainId: settings.chainId,
      fromAddress: address,
      kind: "withdraw",
      status: { in: [...IN_FLIGHT_STATUSES] },
    },
    orderBy: { seq: "desc" },
  });
  return {
    address,
    withdrawable,
    accrued,
    totalEarned: earned._sum.amount ?? 0n,
    payouts: withdrawals.map((row) => ({
      amount: -row.amount,
      to: toOf.get(row.entryGroup) ?? address,
      txHash: row.txHash,
      at: row.createdAt,
    })),
    pendingWithdrawal: pending ? toTransaction(pending) : null,
    tokenSymbol: settings.tokenSymbol,
    tokenDecimals: settings.tokenDecimals,
  };
}
