import type { ReactNode } from "react";
import type { EscrowView } from "@/lib/escrow/escrow-queries";
import { formatRunway } from "./format-runway";
import { formatTokenRate, formatTokens, type Token } from "./token-amount";

const TONES = {
  info: "bg-slate-50 text-slate-700 ring-slate-200",
  warning: "bg-amber-50 text-amber-900 ring-amber-300",
  danger: "bg-red-50 text-red-800 ring-red-300",
} as const;

function Message({ tone, children }: { tone: keyof typeof TONES; children: ReactNode }) {
  return (
    <p
      role={tone === "info" ? "status" : "alert"}
      data-testid="escrow-runway"
      className={`rounded-lg px-3 py-2 text-sm ring-1 ring-inset ${TONES[tone]}`}
    >
      {children}
    </p>
  );
}

/**
 * How long the escrow lasts, and the warning a tenant must not miss: nearly empty or empty
 * with leases running (they close as insufficient_funds), or empty before a lease starts.
 */
export function EscrowRunway({
  escrow,
  token,
}: {
  /** Null before the deployment's escrow exists. */
  escrow: EscrowView | null;
  token: Token;
}) {
  const funded = escrow !== null && escrow.balance + escrow.pendingDeposits > 0n;
  if (escrow === null || escrow.runwaySeconds === null) {
    if (!funded) {
      return (
        <Message tone="warning">
          Deposit funds before accepting a bid: a lease with an empty escrow closes at its first settlement.
        </Message>
      );
    }
    return (
      <Message tone="info">
        No lease draws from this escrow yet. The lease you accept is paid from it by the second, for verified
        running time only.
      </Message>
    );
  }

  const rate = formatTokenRate(escrow.ratePerHour, token);
  const autoTopUp = escrow.autoTopUp
    ? ` Auto top-up adds ${formatTokens(escrow.autoTopUp.amount, token)} when fewer than ${formatRunway(BigInt(escrow.autoTopUp.belowSeconds))} remain.`
    : "";
  if (escrow.runwaySeconds === 0n) {
    return (
      <Message tone="danger">
        <strong>Your escrow has run out</strong> — top up now to keep the lease running ({rate}).{autoTopUp}
      </Message>
    );
  }
  if (escrow.lowRunway) {
    return (
      <Message tone="warning">
        <strong>Your escrow runs out in {formatRunway(escrow.runwaySeconds)}</strong> — top up to keep the
        lease running ({rate}).{autoTopUp}
      </Message>
    );
  }
  return (
    <Message tone="info">
      Funds last{" "}
      <strong className="font-semibold text-slate-900">{formatRunway(escrow.runwaySeconds)}</strong> at the
      current rate ({rate}).{autoTopUp}
    </Message>
  );
}
