import { StateBadge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/card";
import { OrderResources } from "@/components/market/order-resources";
import { ShortId } from "@/components/ui/short-id";
import { StackCell, StackRow, StackTable } from "@/components/ui/stack-table";
import { TimeLeft } from "@/components/ui/time-left";
import { perHour, timeAgo } from "@/lib/format";
import { effectiveOrderState } from "@/lib/market/auction";
import type { OrderRecord } from "@/lib/market/market.repository";

export function AdminOrdersTable({
  orders,
  accountLabels,
  now,
}: {
  orders: OrderRecord[];
  accountLabels: Map<string, string>;
  now: Date;
}) {
  if (orders.length === 0) {
    return (
      <EmptyState title="No orders match this filter">
        Tenants post orders from their dashboard or the API; clear the filter to see all.
      </EmptyState>
    );
  }
  return (
    <StackTable head={["Order", "Tenant", "Region", "Max price", "State", "Posted", "Expires"]}>
      {orders.map((order) => {
        const state = effectiveOrderState(order, now);
        return (
          <StackRow key={order.id}>
            <StackCell label="" primary>
              <OrderResources
                resources={order.resources}
                count={order.count}
                additionalUnits={order.additionalUnits}
              />
              <ShortId id={order.id} />
            </StackCell>
            <StackCell label="Tenant" className="max-w-56 truncate">
              {accountLabels.get(order.tenantId) ?? <ShortId id={order.tenantId} />}
            </StackCell>
            <StackCell label="Region">
              {order.region ?? <span className="text-slate-400">any</span>}
            </StackCell>
            <StackCell label="Max price" className="font-semibold tabular-nums text-slate-900">
              {perHour(order.maxPricePerHour)}
            </StackCell>
            <StackCell label="State">
              <StateBadge state={state} />
            </StackCell>
            <StackCell label="Posted" className="text-slate-500">
              {timeAgo(order.createdAt, now)}
            </StackCell>
            <StackCell label="Expires">
              {state === "open" ? (
                <TimeLeft until={order.expiresAt.toISOString()} />
              ) : (
                <span className="text-slate-400">—</span>
              )}
            </StackCell>
          </StackRow>
        );
      })}
    </StackTable>
  );
}
