import { EmptyState } from "@/components/ui/card";
import { StackCell, StackRow, StackTable } from "@/components/ui/stack-table";
import type { Payout } from "@/lib/escrow/escrow-queries";
import { timeAgo } from "@/lib/format";
import { formatTokens, type Token } from "./token-amount";
import { ShortHex } from "./short-hex";

/** A provider's withdrawals, newest first, with where they went and their transaction. */
export function PayoutsTable({ payouts, token, now }: { payouts: Payout[]; token: Token; now: Date }) {
  if (payouts.length === 0) {
    return (
      <EmptyState title="No payouts yet">
        Withdrawals you make show here with their transaction hashes.
      </EmptyState>
    );
  }
  return (
    <StackTable head={["Amount", "To", "Transaction", "When"]}>
      {payouts.map((payout) => (
        <StackRow key={payout.txHash}>
          <StackCell label="" primary className="font-semibold tabular-nums text-slate-900">
            {formatTokens(payout.amount, token)}
          </StackCell>
          <StackCell label="To">
            <ShortHex value={payout.to} what="payout address" />
          </StackCell>
          <StackCell label="Transaction">
            <ShortHex value={payout.txHash} what="transaction hash" />
          </StackCell>
          <StackCell label="When" className="text-slate-500">
            {timeAgo(payout.at, now)}
          </StackCell>
        </StackRow>
      ))}
    </StackTable>
  );
}
