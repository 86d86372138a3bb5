import type { ReactNode } from "react";

/**
 * A calm note where money UI would be: no chain configured on this marketplace, or its RPC
 * not answering right now. Nothing the person did wrong, so no red.
 */
export function EscrowNotice({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div role="status" className="rounded-lg bg-slate-50 px-4 py-3 text-sm ring-1 ring-inset ring-slate-200">
      <p className="font-semibold text-slate-800">{title}</p>
      {children && <p className="mt-0.5 text-slate-600">{children}</p>}
    </div>
  );
}

export function EscrowNotConfigured() {
  return (
    <EscrowNotice title="Escrow is not configured on this marketplace">
      Payments in USDC appear here once an operator connects the marketplace to its chain.
    </EscrowNotice>
  );
}

export function ChainUnavailable() {
  return (
    <EscrowNotice title="The chain is not answering right now">
      Balances show again as soon as it does; nothing is lost in the meantime. Reload in a moment.
    </EscrowNotice>
  );
}
