import { formatTokenAmount } from "./amounts";
import type { Earnings, EscrowTransaction, EscrowView } from "./escrow-queries";
import type { Reconciliation } from "./reconcile";
import type { WalletView } from "./wallet";

/** JSON forms of the escrow read models: amounts as decimal strings with all the token's decimals. */
export function transactionToWire(tx: EscrowTransaction, decimals: number) {
  return {
    id: tx.id,
    kind: tx.kind,
    status: tx.status,
    amount: tx.amount === null ? null : formatTokenAmount(tx.amount, decimals),
    txHash: tx.txHash,
    error: tx.lastError,
    createdAt: tx.createdAt.toISOString(),
    confirmedAt: tx.confirmedAt?.toISOString() ?? null,
  };
}

export function escrowToWire(view: EscrowView) {
  const amount = (units: bigint) => formatTokenAmount(units, view.tokenDecimals);
  return {
    id: view.id,
    state: view.state,
    chainAccountId: view.chainAccountId,
    owner: view.ownerAddress,
    token: view.tokenSymbol,
    balance: amount(view.balance),
    deposited: amount(view.deposited),
    paidOut: amount(view.paidOut),
    refunded: amount(view.refunded),
    pendingDeposits: amount(view.pendingDeposits),
    unsettled: amount(view.unsettled),
    ratePerHour: amount(view.ratePerHour),
    runwaySeconds: view.runwaySeconds === null ? null : Number(view.runwaySeconds),
    lowRunway: view.lowRunway,
    autoTopUp: view.autoTopUp
      ? { amount: amount(view.autoTopUp.amount), belowSeconds: view.autoTopUp.belowSeconds }
      : null,
    transactions: view.transactions.map((tx) => transactionToWire(tx, view.tokenDecimals)),
  };
}

export function walletToWire(view: WalletView, symbol: string, decimals: number) {
  return {
    address: view.address,
    token: symbol,
    balance: formatTokenAmount(view.balance, decimals),
    available: formatTokenAmount(view.available, decimals),
    pendingDeposits: formatTokenAmount(view.pendingDeposits, decimals),
    gasBalanceWei: view.gasBalance.toString(),
    faucet: view.faucet,
  };
}

export function earningsToWire(earnings: Earnings) {
  const amount = (units: bigint) => formatTokenAmount(units, earnings.tokenDecimals);
  return {
    address: earnings.address,
    token: earnings.tokenSymbol,
    withdrawable: amount(earnings.withdrawable),
    accrued: amount(earnings.accrued),
    totalEarned: amount(earnings.totalEarned),
    pendingWithdrawal: earnings.pendingWithdrawal
      ? transactionToWire(earnings.pendingWithdrawal, earnings.tokenDecimals)
      : null,
    payouts: earnings.payouts.map((payout) => ({
      amount: amount(payout.amount),
      to: payout.to,
      txHash: payout.txHash,
      at: payout.at.toISOString(),
    })),
  };
}

export function reconciliationToWire(result: Reconciliation) {
  return {
    checkedAt: result.checkedAt.toISOString(),
    chainId: result.chainId,
    headBlock: result.headBlock.toString(),
    indexedBlock: result.indexedBlock?.toString() ?? null,
    accounts: result.accounts,
    leases: result.leases,
    payees: result.payees,
    differences: result.differences,
  };
}
