import Link from "next/link";
import { OrderResources } from "@/components/market/order-resources";
import { ActionButton } from "@/components/ui/action-button";
import type { ActionResult } from "@/components/ui/action-result";
import { StateBadge } from "@/components/ui/badge";
import { WorkloadSummary } from "@/components/verify/workload-summary";
import { perHour, timeAgo } from "@/lib/format";
import type { LeaseRecord, OrderRecord } from "@/lib/market/market.repository";

/**
 * The tenant's leases: provider, what runs there, the workload's status and URI, the hourly
 * price, a link to the lease's page, and a close button while running.
 */
export function LeasesList({
  leases,
  ordersById,
  now,
  closeAction,
}: {
  leases: LeaseRecord[];
  ordersById: Map<string, OrderRecord>;
  now: Date;
  closeAction: (leaseId: string, orderId: string) => Promise<ActionResult>;
}) {
  return (
    <ul className="-my-3 divide-y divide-slate-100" aria-label="Leases">
      {leases.map((lease) => {
        const order = ordersById.get(lease.orderId);
        const running = lease.state !== "closed";
        return (
          <li
            key={lease.id}
            data-testid="lease-row"
            className="flex flex-wrap items-center gap-x-6 gap-y-2 py-3 sm:flex-nowrap"
          >
            <div className="w-full min-w-0 text-sm sm:w-auto sm:flex-1">
              <p className="font-semibold text-slate-900">
                {lease.provider.name}{" "}
                <span className="font-normal text-slate-500">· {lease.provider.region}</span>
              </p>
              {order && (
                <OrderResources
                  resources={order.resources}
                  count={order.count}
                  additionalUnits={order.additionalUnits}
                  compact
                />
              )}
              {running && (
                <div className="mt-1">
                  <WorkloadSummary lease={lease} viewer="tenant" />
                </div>
              )}
            </div>
            <div className="sm:w-28">
              <StateBadge state={lease.state} />
            </div>
            <div className="text-sm tabular-nums sm:w-32 sm:text-right">
              <p className="font-semibold text-slate-900">{perHour(lease.pricePerHour)}</p>
              <p className="text-xs text-slate-500">
                {running
                  ? `since ${timeAgo(lease.createdAt, now)}`
                  : `closed ${timeAgo(lease.closedAt ?? lease.createdAt, now)}`}
              </p>
            </div>
            <div className="ml-auto flex items-center gap-2 sm:ml-0 sm:w-44 sm:justify-end">
              <Link
                href={`/tenant/leases/${lease.id}`}
                className="rounded-md px-2 py-1.5 text-xs font-semibold text-brand-600 hover:bg-brand-50"
              >
                View lease
              </Link>
              {running && (
                <ActionButton
                  action={closeAction.bind(null, lease.id, lease.orderId)}
                  label="Close"
                  pendingLabel="Closing…"
                  variant="secondary"
                  confirm="Close this lease? The provider stops your workload and the order closes."
                />
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
