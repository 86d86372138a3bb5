import type { LeaseEscrow } from "@/lib/market/market.repository";
import { EscrowStateBadge } from "./escrow-badges";
import { formatRunway } from "./format-runway";
import { formatTokens, type Token } from "./token-amount";

/** One lease's side of the escrow: its state on chain and what it has paid for verified time. */
export function LeaseEscrowLine({ escrow, token }: { escrow: LeaseEscrow; token: Token }) {
  return (
    <p
      data-testid="lease-escrow"
      className="mt-3 flex flex-wrap items-center gap-x-2 gap-y-1 border-t border-slate-200/70 pt-2 text-sm text-slate-600"
    >
      <span className="text-xs text-slate-500">Escrow</span>
      <EscrowStateBadge state={escrow.chainState} />
      {escrow.paidAmount > 0n || escrow.settledSeconds > 0 ? (
        <span>
          paid{" "}
          <span className="font-semibold tabular-nums text-slate-900">
            {formatTokens(escrow.paidAmount, token)}
          </span>{" "}
          for {formatRunway(BigInt(escrow.settledSeconds))} of verified running time
        </span>
      ) : (
        <span>nothing paid yet</span>
      )}
    </p>
  );
}
