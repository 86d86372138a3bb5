import type { LeaseRecord } from "@/lib/market/market.repository";
import { formatDuration } from "./verification-format";
import { WorkloadStatusBadge } from "./workload-status-badge";

/**
 * One line on a running lease's workload for lists and summaries: its status, the first
 * service URI (a link that opens in a new tab) and the verified time so far.
 */
export function WorkloadSummary({ lease, viewer }: { lease: LeaseRecord; viewer: "tenant" | "provider" }) {
  if (lease.state === "closed") return null;
  const workload = lease.workload;
  const uris = workload?.services.flatMap((service) => service.uris) ?? [];
  const first = uris[0];
  return (
    <p className="flex min-w-0 flex-wrap items-center gap-x-2 gap-y-1 text-xs" data-testid="workload-summary">
      <WorkloadStatusBadge
        status={workload?.status ?? "pending"}
        leaseState={lease.state}
        closeReason={lease.closeReason}
        viewer={viewer}
      />
      {first && (
        <a
          href={first}
          target="_blank"
          rel="noopener noreferrer"
          title={first}
          className="min-w-0 truncate font-mono font-medium text-brand-600 hover:text-brand-700 hover:underline max-sm:max-w-full sm:max-w-64"
        >
          {first.replace(/^https?:\/\//, "")}
          <span aria-hidden> ↗</span>
          <span className="sr-only"> (opens in a new tab)</span>
        </a>
      )}
      {uris.length > 1 && <span className="text-slate-500">+{uris.length - 1} more</span>}
      {workload && workload.verifiedSeconds > 0 && (
        <span className="text-slate-500">verified {formatDuration(workload.verifiedSeconds)}</span>
      )}
    </p>
  );
}
