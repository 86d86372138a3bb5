import Link from "next/link";
import { EmptyState } from "@/components/ui/card";
import { LeaseStateWithReason } from "@/components/ui/lease-state";
import { StackCell, StackRow, StackTable } from "@/components/ui/stack-table";
import { timeAgo } from "@/lib/format";
import type { ProviderVerificationRow } from "@/lib/verify/verification-queries";
import { formatDuration, verifiedPercent } from "./verification-format";
import { WorkloadStatusBadge } from "./workload-status-badge";

/** Verified against elapsed time as a small bar: green for the verified share. */
export function VerifiedShareBar({
  verifiedSeconds,
  elapsedSeconds,
}: {
  verifiedSeconds: number;
  elapsedSeconds: number;
}) {
  const percent = verifiedPercent(verifiedSeconds, elapsedSeconds);
  return (
    <div className="flex min-w-36 items-center gap-2">
      <div
        role="meter"
        aria-label="Verified share of the lease's time"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}% verified`}
        className="h-1.5 w-16 shrink-0 overflow-hidden rounded-full bg-slate-200"
      >
        <div className="h-full rounded-full bg-emerald-500" style={{ width: `${percent}%` }} />
      </div>
      <span className="whitespace-nowrap text-xs tabular-nums text-slate-600">
        <span className="font-semibold text-slate-900">{percent}%</span> · {formatDuration(verifiedSeconds)} /{" "}
        {formatDuration(elapsedSeconds)}
      </span>
    </div>
  );
}

/** The provider's recent leases with what the verifier found on each; every row opens the lease. */
export function VerificationRecordTable({ leases, now }: { leases: ProviderVerificationRow[]; now: Date }) {
  if (leases.length === 0) {
    return (
      <EmptyState title="No leases yet">
        Run the provider agent (
        <code className="font-mono text-xs">npx bidcloud agent --config agent.yaml</code>) to bid
        automatically; its heartbeats appear here.
      </EmptyState>
    );
  }
  return (
    <StackTable head={["Lease", "State", "Workload", "Verified", "Failed checks", "Last heartbeat"]}>
      {leases.map((lease) => (
        <StackRow key={lease.leaseId}>
          <StackCell label="Lease" primary>
            <Link
              href={`/provider/leases/${lease.leaseId}`}
              className="font-mono text-xs font-semibold text-brand-600 hover:text-brand-700 hover:underline"
              title={lease.leaseId}
            >
              Lease …{lease.leaseId.slice(-6)}
            </Link>
            <span className="ml-2 text-xs text-slate-500">opened {timeAgo(lease.createdAt, now)}</span>
          </StackCell>
          <StackCell label="State">
            <LeaseStateWithReason
              state={lease.leaseState}
              closeReason={lease.closeReason}
              viewer="provider"
            />
          </StackCell>
          <StackCell label="Workload">
            {lease.leaseState === "closed" ? (
              <span className="text-xs text-slate-500">
                last reported {lease.status.replaceAll("_", " ")}
              </span>
            ) : (
              <WorkloadStatusBadge
                status={lease.status}
                leaseState={lease.leaseState}
                closeReason={lease.closeReason}
                viewer="provider"
              />
            )}
          </StackCell>
          <StackCell label="Verified" className="max-sm:col-span-2">
            <VerifiedShareBar verifiedSeconds={lease.verifiedSeconds} elapsedSeconds={lease.elapsedSeconds} />
          </StackCell>
          <StackCell label="Failed checks" className="tabular-nums">
            <span className={lease.failedChecks > 0 ? "font-semibold text-red-700" : "text-slate-700"}>
              {lease.failedChecks}
            </span>
            <span className="text-xs text-slate-500"> of {lease.checks}</span>
          </StackCell>
          <StackCell label="Last heartbeat" className="tabular-nums text-slate-600">
            {lease.lastHeartbeatAt ? timeAgo(lease.lastHeartbeatAt, now) : "none"}
          </StackCell>
        </StackRow>
      ))}
    </StackTable>
  );
}
