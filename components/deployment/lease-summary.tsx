import Link from "next/link";
import type { ReactNode } from "react";
import { StateBadge } from "@/components/ui/badge";
import { WorkloadSummary } from "@/components/verify/workload-summary";
import { perHour } from "@/lib/format";
import type { LeaseRecord } from "@/lib/market/market.repository";
import { TimeAgo } from "./time-ago";

const CLOSE_REASONS: Record<string, string> = {
  owner: "closed by you",
  provider: "closed by the provider",
  unstable: "closed: the workload was unstable",
  manifest_timeout: "closed: the manifest was not fetched in time",
  insufficient_funds: "closed: escrow ran out",
  admin: "closed by an administrator",
};

/**
 * An order's lease: who runs it, where, at what price, whether the provider has the manifest,
 * the workload's status and URI, and a link to the lease's page; `children` adds a line under
 * it (its escrow payments).
 */
export function LeaseSummary({
  lease,
  now,
  children,
}: {
  lease: LeaseRecord;
  now: Date;
  children?: ReactNode;
}) {
  const running = lease.state !== "closed";
  return (
    <div
      data-testid="lease-panel"
      className={`rounded-lg px-4 py-3 ring-1 ring-inset ${running ? "bg-emerald-50/50 ring-emerald-300" : "bg-slate-50 ring-slate-200"}`}
    >
      <p className="flex flex-wrap items-center gap-2 text-sm font-semibold text-slate-900">
        Lease <StateBadge state={lease.state} />
        <span className="text-xs font-normal text-slate-500">
          {running ? (
            <>
              started <TimeAgo date={lease.createdAt} now={now} />
            </>
          ) : (
            <>
              {CLOSE_REASONS[lease.closeReason ?? ""] ?? "closed"}
              {lease.closedAt && (
                <>
                  {" "}
                  <TimeAgo date={lease.closedAt} now={now} />
                </>
              )}
            </>
          )}
        </span>
        <Link
          href={`/tenant/leases/${lease.id}`}
          className="ml-auto text-xs font-semibold text-brand-600 hover:text-brand-700"
        >
          View lease ›
        </Link>
      </p>
      {running && (
        <div className="mt-2">
          <WorkloadSummary lease={lease} viewer="tenant" />
        </div>
      )}
      <dl className="mt-2 grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-[1.6fr_1fr_1fr_1.3fr]">
        <div className="min-w-0">
          <dt className="text-xs text-slate-500">Provider</dt>
          <dd className="font-semibold break-words text-slate-900" title={lease.provider.hostUri}>
            {lease.provider.name}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">Region</dt>
          <dd className="font-medium text-slate-900">{lease.provider.region}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">Price</dt>
          <dd className="font-semibold tabular-nums text-slate-900">{perHour(lease.pricePerHour)}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">Manifest</dt>
          <dd className={lease.manifestDeliveredAt ? "font-medium text-emerald-700" : "text-slate-600"}>
            {lease.manifestDeliveredAt ? (
              <>
                delivered <TimeAgo date={lease.manifestDeliveredAt} now={now} />
              </>
            ) : running ? (
              "waiting for the provider"
            ) : (
              "not delivered"
            )}
          </dd>
        </div>
      </dl>
      {children}
    </div>
  );
}
