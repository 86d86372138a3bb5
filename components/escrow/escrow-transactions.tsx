import { EmptyState } from "@/components/ui/card";
import { StackCell, StackRow, StackTable } from "@/components/ui/stack-table";
import { timeAgo } from "@/lib/format";
import type { EscrowTransaction } from "@/lib/escrow/escrow-queries";
import { ChainTxStatusBadge, chainTxKindLabel } from "./escrow-badges";
import { TxHashCell } from "./short-hex";
import { formatTokens, type Token } from "./token-amount";

/** Settlements come every few minutes; older rows fold away so deposits stay in sight. */
const SHOWN_FIRST = 6;

/** The escrow's recent chain writes, newest first: what, how much, where it is, its hash. */
export function EscrowTransactions({
  transactions,
  token,
  now,
}: {
  transactions: EscrowTransaction[];
  token: Token;
  now: Date;
}) {
  if (transactions.length === 0) {
    return (
      <EmptyState title="No chain transactions yet">
        Deposits, lease openings and settlements of this escrow show here with their transaction hashes.
      </EmptyState>
    );
  }
  const older = transactions.slice(SHOWN_FIRST);
  return (
    <>
      <TransactionsTable transactions={transactions.slice(0, SHOWN_FIRST)} token={token} now={now} />
      {older.length > 0 && (
        <details className="mt-2 group">
          <summary className="cursor-pointer text-xs font-semibold text-brand-600 hover:text-brand-700">
            <span className="group-open:hidden">Show {older.length} older</span>
            <span className="hidden group-open:inline">Hide older</span>
          </summary>
          <div className="mt-2">
            <TransactionsTable transactions={older} token={token} now={now} />
          </div>
        </details>
      )}
    </>
  );
}

function TransactionsTable({
  transactions,
  token,
  now,
}: {
  transactions: EscrowTransaction[];
  token: Token;
  now: Date;
}) {
  return (
    <StackTable head={["Transaction", "Amount", "Status", "Hash", "When"]}>
      {transactions.map((tx) => (
        <StackRow key={tx.id}>
          <StackCell label="" primary>
            <span className="font-medium text-slate-900">{chainTxKindLabel(tx.kind)}</span>
          </StackCell>
          <StackCell label="Amount" className="tabular-nums">
            {tx.amount === null ? <span className="text-slate-400">—</span> : formatTokens(tx.amount, token)}
          </StackCell>
          <StackCell label="Status">
            <ChainTxStatusBadge status={tx.status} />
            {tx.status === "failed" && tx.lastError && (
              <span className="mt-0.5 block max-w-56 truncate text-xs text-red-600" title={tx.lastError}>
                {tx.lastError}
              </span>
            )}
          </StackCell>
          <StackCell label="Hash">
            <TxHashCell hash={tx.txHash} />
          </StackCell>
          <StackCell label="When" className="text-slate-500">
            {timeAgo(tx.confirmedAt ?? tx.createdAt, now)}
          </StackCell>
        </StackRow>
      ))}
    </StackTable>
  );
}
