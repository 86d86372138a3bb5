import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { gpuRequestLabel } from "@/lib/gpu-names";
import { LeasePanel } from "@/components/tenant/lease-panel";
import { LiveBids } from "@/components/tenant/live-bids";
import { OrderSummary } from "@/components/tenant/order-summary";
import { ActionButton } from "@/components/ui/action-button";
import { StateBadge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { getLeaseOfOrderFor, getOrderFor, listBidsForOrderFor } from "@/lib/market/market-queries";
import { bidToWire } from "@/lib/market/wire-format";
import { loadOrNotFound, requirePagePrincipal } from "../../../_lib/session";
import { acceptBidAction, closeLeaseAction, closeOrderAction } from "../../actions";

export const metadata: Metadata = { title: "Order" };

export default async function OrderPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await requirePagePrincipal("tenant", `/tenant/orders/${id}`);
  const now = new Date();
  const order = await loadOrNotFound(() => getOrderFor(principal, id, now));
  if (order.tenantId !== principal.accountId) notFound();
  const [bids, lease] = await Promise.all([
    listBidsForOrderFor(principal, order.id, now),
    getLeaseOfOrderFor(principal, order.id),
  ]);

  return (
    <div className="space-y-6">
      <div>
        {order.deploymentId ? (
          <Link
            href={`/tenant/deployments/${order.deploymentId}`}
            className="text-sm font-medium text-slate-500 hover:text-slate-800"
          >
            ← Deployment{order.groupName ? ` (group ${order.groupName})` : ""}
          </Link>
        ) : (
          <Link href="/tenant" className="text-sm font-medium text-slate-500 hover:text-slate-800">
            ← Your orders
          </Link>
        )}
        <div className="mt-2 flex flex-wrap items-end justify-between gap-4">
          <div className="min-w-0">
            <h1 className="flex flex-wrap items-center gap-3 text-2xl font-bold tracking-tight text-slate-900">
              {gpuRequestLabel(order.resources.gpu)}
              {order.count > 1 && <span className="text-slate-500">× {order.count}</span>}
              <StateBadge state={order.state} />
            </h1>
            <p className="mt-1 truncate font-mono text-xs text-slate-500" title={order.id}>
              Order {order.id}
            </p>
          </div>
          {order.state === "open" && (
            <ActionButton
              action={closeOrderAction.bind(null, order.id)}
              label="Close order"
              pendingLabel="Closing…"
              confirm="Close this order? Its open bids are withdrawn and no new bids can arrive."
              size="md"
            />
          )}
        </div>
      </div>

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          {lease && (
            <LeasePanel
              lease={lease}
              now={now}
              closeAction={closeLeaseAction.bind(null, lease.id, order.id)}
            />
          )}
          <LiveBids
            key={`${order.id}:${order.state}`}
            orderId={order.id}
            initialBids={bids.map(bidToWire)}
            initialOrderState={order.state}
            renderedAt={now.getTime()}
            gpus={order.resources.gpu.units * order.count}
            acceptAction={acceptBidAction}
          />
        </div>
        <Card title="Order details">
          <OrderSummary order={order} now={now} />
        </Card>
      </div>
    </div>
  );
}
