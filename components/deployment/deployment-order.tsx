import Link from "next/link";
import type { ReactNode } from "react";
import { OrderResources } from "@/components/market/order-resources";
import { timeLeft } from "@/components/market/time-left";
import type { ActionResult } from "@/components/ui/action-result";
import { StateBadge } from "@/components/ui/badge";
import { perHour } from "@/lib/format";
import type { BidRecord, LeaseRecord, OrderRecord } from "@/lib/market/market.repository";
import { bidToWire } from "@/lib/market/wire-format";
import { LeaseSummary } from "./lease-summary";
import { OrderBids } from "./order-bids";
import { TimeAgo } from "./time-ago";

function gpusOf(order: OrderRecord): number {
  return order.additionalUnits.reduce(
    (sum, unit) => sum + unit.resources.gpu.units * unit.count,
    order.resources.gpu.units * order.count,
  );
}

/** One placement group's order: what it asks for, its lease once there is one, and its bids. */
export function DeploymentOrder({
  order,
  bids,
  lease,
  leaseDetail,
  autoAcceptSeconds,
  now,
  acceptAction,
}: {
  order: OrderRecord;
  bids: BidRecord[];
  lease: LeaseRecord | null;
  /** More about the lease, shown inside its summary (its escrow payments). */
  leaseDetail?: ReactNode;
  autoAcceptSeconds: number | null;
  now: Date;
  acceptAction: (orderId: string, bidId: string) => Promise<ActionResult>;
}) {
  const title = order.groupName ?? "Order";
  return (
    <section
      aria-label={`Order for group ${title}`}
      data-testid="deployment-order"
      className="rounded-xl bg-white shadow-xs ring-1 ring-slate-200"
    >
      <header className="flex flex-wrap items-start justify-between gap-3 border-b border-slate-100 px-4 py-3 sm:px-5">
        <div className="min-w-0">
          <h2 className="flex flex-wrap items-center gap-2 text-base font-semibold text-slate-900">
            <span className="text-xs font-semibold uppercase tracking-wide text-slate-500">Group</span>
            {title}
            <StateBadge state={order.state} />
          </h2>
          <div className="mt-1 text-sm">
            <OrderResources
              resources={order.resources}
              count={order.count}
              additionalUnits={order.additionalUnits}
            />
          </div>
        </div>
        <div className="text-sm tabular-nums sm:text-right">
          <p className="font-semibold text-slate-900">
            {perHour(order.maxPricePerHour)} <span className="text-xs font-normal text-slate-500">max</span>
          </p>
          <p className="text-xs text-slate-500">
            {order.state === "open" ? (
              `${timeLeft(order.expiresAt, now)} left`
            ) : order.closedAt ? (
              <>
                closed <TimeAgo date={order.closedAt} now={now} />
              </>
            ) : (
              <>
                posted <TimeAgo date={order.createdAt} now={now} />
              </>
            )}
          </p>
          <Link
            href={`/tenant/orders/${order.id}`}
            className="text-xs font-medium text-slate-500 hover:text-slate-800"
            title={order.id}
          >
            Order details ›
          </Link>
        </div>
      </header>
      <div className="space-y-4 px-4 py-4 sm:px-5">
        {lease && (
          <LeaseSummary lease={lease} now={now}>
            {leaseDetail}
          </LeaseSummary>
        )}
        <OrderBids
          orderId={order.id}
          bids={bids.map(bidToWire)}
          orderState={order.state}
          renderedAt={now.getTime()}
          gpus={gpusOf(order)}
          autoAcceptAt={
            autoAcceptSeconds === null ? null : order.createdAt.getTime() + autoAcceptSeconds * 1000
          }
          acceptAction={acceptAction}
        />
      </div>
    </section>
  );
}
