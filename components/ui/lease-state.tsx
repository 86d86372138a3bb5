import type { LeaseCloseReason, LeaseState } from "@/lib/market/types";
import { StateBadge } from "./badge";

/** Who closed a lease, as a table row says it; "by you" on the provider's own dashboard. */
function closeReasonLabel(reason: LeaseCloseReason, viewer: "provider" | "admin"): string {
  const labels: Record<LeaseCloseReason, string> = {
    owner: "by tenant",
    provider: viewer === "provider" ? "by you" : "by provider",
    admin: "by admin",
    unstable: "unstable",
    manifest_timeout: "manifest timeout",
    insufficient_funds: "out of funds",
  };
  return labels[reason];
}

/** A lease's state badge with, once closed, who or what closed it. */
export function LeaseStateWithReason({
  state,
  closeReason,
  viewer,
}: {
  state: LeaseState;
  closeReason: LeaseCloseReason | null;
  viewer: "provider" | "admin";
}) {
  return (
    <div className="flex flex-col items-start gap-0.5">
      <StateBadge state={state} />
      {closeReason && <span className="text-xs text-slate-500">{closeReasonLabel(closeReason, viewer)}</span>}
    </div>
  );
}
