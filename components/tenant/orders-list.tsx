import Link from "next/link";
import { OrderResources } from "@/components/market/order-resources";
import { timeLeft } from "@/components/market/time-left";
import { Badge, StateBadge } from "@/components/ui/badge";
import { perHour, timeAgo } from "@/lib/format";
import type { OrderRecord } from "@/lib/market/market.repository";

/** The tenant's orders, one row each, linking to the order's page. */
export function OrdersList({
  orders,
  openBidCounts,
  now,
}: {
  orders: OrderRecord[];
  openBidCounts: Map<string, number>;
  now: Date;
}) {
  return (
    <ul className="-my-3 divide-y divide-slate-100" aria-label="Orders">
      {orders.map((order) => {
        const bids = openBidCounts.get(order.id) ?? 0;
        return (
          <li key={order.id} data-testid="order-row">
            <Link
              href={`/tenant/orders/${order.id}`}
              className="-mx-4 flex flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 hover:bg-slate-50 sm:-mx-5 sm:flex-nowrap sm:px-5"
            >
              <div className="w-full min-w-0 text-sm sm:w-auto sm:flex-1">
                <OrderResources
                  resources={order.resources}
                  count={order.count}
                  additionalUnits={order.additionalUnits}
                />
              </div>
              <div className="flex items-center gap-2 sm:w-40">
                <StateBadge state={order.state} />
                {order.state === "open" && (
                  <Badge tone={bids > 0 ? "amber" : "gray"}>
                    {bids} bid{bids === 1 ? "" : "s"}
                  </Badge>
                )}
              </div>
              <div className="ml-auto text-right text-sm tabular-nums sm:ml-0 sm:w-36">
                <p className="font-semibold text-slate-900">
                  {perHour(order.maxPricePerHour)}{" "}
                  <span className="text-xs font-normal text-slate-500">max</span>
                </p>
                <p className="text-xs text-slate-500">
                  {order.state === "open"
                    ? `${timeLeft(order.expiresAt, now)} left`
                    : `posted ${timeAgo(order.createdAt, now)}`}
                </p>
              </div>
              <span aria-hidden className="hidden text-slate-400 sm:block">
                ›
              </span>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
