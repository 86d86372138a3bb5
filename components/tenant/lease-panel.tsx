import Link from "next/link";
import { ActionButton } from "@/components/ui/action-button";
import type { ActionResult } from "@/components/ui/action-result";
import { StateBadge } from "@/components/ui/badge";
import { WorkloadSummary } from "@/components/verify/workload-summary";
import { perHour, timeAgo } from "@/lib/format";
import type { LeaseRecord } from "@/lib/market/market.repository";

const CLOSE_REASONS: Record<string, string> = {
  owner: "closed by you",
  provider: "closed by the provider",
  unstable: "closed: the workload was unstable",
  manifest_timeout: "closed: the manifest was not delivered in time",
  insufficient_funds: "closed: escrow ran out",
  admin: "closed by an administrator",
};

/** The lease an accepted bid became: who runs it, at what price, its workload, a link to its page, and a way to end it. */
export function LeasePanel({
  lease,
  now,
  closeAction,
}: {
  lease: LeaseRecord;
  now: Date;
  closeAction: () => Promise<ActionResult>;
}) {
  const running = lease.state !== "closed";
  return (
    <section
      aria-labelledby="lease-title"
      data-testid="lease-panel"
      className={`rounded-xl bg-white shadow-xs ring-1 ${running ? "ring-emerald-300" : "ring-slate-200"}`}
    >
      <header className="flex flex-wrap items-start justify-between gap-3 border-b border-slate-100 px-4 py-3 sm:px-5">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <h2 id="lease-title" className="flex items-center gap-2 text-base font-semibold text-slate-900">
              Lease <StateBadge state={lease.state} />
            </h2>
            <Link
              href={`/tenant/leases/${lease.id}`}
              className="text-xs font-semibold text-brand-600 hover:text-brand-700"
            >
              View lease ›
            </Link>
          </div>
          <p className="mt-0.5 text-sm text-slate-500">
            {running
              ? `Started ${timeAgo(lease.createdAt, now)}. You pay this hourly price for verified running time until you close it.`
              : `${CLOSE_REASONS[lease.closeReason ?? ""] ?? "closed"}${lease.closedAt ? ` ${timeAgo(lease.closedAt, now)}` : ""}.`}
          </p>
          {running && (
            <div className="mt-2">
              <WorkloadSummary lease={lease} viewer="tenant" />
            </div>
          )}
        </div>
        {running && (
          <ActionButton
            action={closeAction}
            label="Close lease"
            pendingLabel="Closing…"
            variant="danger"
            confirm="Close this lease? The provider stops your workload and the order closes."
          />
        )}
      </header>
      <dl className="grid grid-cols-2 gap-4 px-4 py-4 text-sm sm:grid-cols-4 sm:px-5">
        <div>
          <dt className="text-slate-500">Provider</dt>
          <dd className="mt-0.5 font-semibold text-slate-900">{lease.provider.name}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Region</dt>
          <dd className="mt-0.5 font-medium text-slate-900">{lease.provider.region}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Price</dt>
          <dd className="mt-0.5 font-semibold tabular-nums text-slate-900">{perHour(lease.pricePerHour)}</dd>
        </div>
        <div className="min-w-0">
          <dt className="text-slate-500">Provider host</dt>
          <dd className="mt-0.5 truncate font-mono text-xs text-slate-700" title={lease.provider.hostUri}>
            {lease.provider.hostUri.replace(/^https?:\/\//, "")}
          </dd>
        </div>
      </dl>
    </section>
  );
}
