import { Badge } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";
import type { FormAction } from "@/components/ui/form-state";
import { OrderResources } from "@/components/market/order-resources";
import { gpuRequestLabel } from "@/lib/gpu-names";
import { ShortId } from "@/components/ui/short-id";
import { TimeLeft } from "@/components/ui/time-left";
import { perHour } from "@/lib/format";
import type { BidRecord, OrderRecord } from "@/lib/market/market.repository";
import { formatUsd } from "@/lib/money";
import { BidForm } from "./bid-form";

const NEW_ORDER_MS = 2 * 60 * 1000;
const CENT_MICROS = 10_000n;

/** The starting bid: 90% of the max, rounded down to a cent (never above the max). */
function suggestedBid(maxPricePerHour: bigint): string {
  const ninety = ((maxPricePerHour * 9n) / 10n / CENT_MICROS) * CENT_MICROS;
  return decimalString(ninety > 0n ? ninety : maxPricePerHour);
}

/** "2.240000" -> "2.24": what a person would type. */
function decimalString(micros: bigint): string {
  return formatUsd(micros).replace(/(\.\d\d\d*?)0+$/, "$1");
}

function perGpuHint(order: OrderRecord): string | null {
  const gpus = BigInt(order.resources.gpu.units * order.count);
  return gpus > 1n ? `${perHour(order.maxPricePerHour / gpus)} per GPU` : null;
}

export function OpenOrdersList({
  orders,
  bidAction,
  hasInventory,
  now,
}: {
  orders: { order: OrderRecord; ownOpenBid: BidRecord | null }[];
  bidAction: FormAction;
  hasInventory: boolean;
  now: Date;
}) {
  if (orders.length === 0) {
    return hasInventory ? (
      <EmptyState title="No open orders fit your free capacity right now">
        New orders that your free inventory can serve appear here as they are posted — no need to reload.
        Listing more GPU models or freeing capacity widens what you can bid on.
      </EmptyState>
    ) : (
      <EmptyState
        title="List inventory to see orders"
        action={
          <a href="#add-inventory" className={buttonClasses("primary", "sm")}>
            Add inventory
          </a>
        }
      >
        Orders appear here once you list a machine; you only see orders your free GPUs, CPU, memory, storage,
        region and attributes can serve.
      </EmptyState>
    );
  }

  return (
    <ul className="-my-3 divide-y divide-slate-100">
      {orders.map(({ order, ownOpenBid }) => {
        const hint = perGpuHint(order);
        const isNew = now.getTime() - order.createdAt.getTime() < NEW_ORDER_MS;
        return (
          <li
            key={order.id}
            className="flex flex-col gap-3 py-3 sm:flex-row sm:items-center sm:justify-between"
          >
            <div className="flex min-w-0 flex-col gap-1">
              <div className="flex flex-wrap items-center gap-2">
                <OrderResources
                  resources={order.resources}
                  count={order.count}
                  additionalUnits={order.additionalUnits}
                />
                {isNew && <Badge tone="blue">new</Badge>}
              </div>
              <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-500">
                <span>
                  Max{" "}
                  <span className="font-semibold tabular-nums text-slate-900">
                    {perHour(order.maxPricePerHour)}
                  </span>
                  {hint && <span className="tabular-nums"> ({hint})</span>}
                </span>
                <span>{order.region ? `Region ${order.region}` : "Any region"}</span>
                {Object.entries(order.attributes).map(([key, value]) => (
                  <span key={key} className="font-mono">
                    {key}={value}
                  </span>
                ))}
                <span>
                  Order <ShortId id={order.id} />
                </span>
                <TimeLeft until={order.expiresAt.toISOString()} />
              </p>
            </div>
            {ownOpenBid ? (
              <div className="flex items-center gap-2 text-sm sm:text-right">
                <Badge tone="blue">bid placed</Badge>
                <span className="font-semibold tabular-nums">{perHour(ownOpenBid.pricePerHour)}</span>
                <span className="text-xs text-slate-500">
                  <TimeLeft until={ownOpenBid.expiresAt.toISOString()} />
                </span>
              </div>
            ) : (
              <BidForm
                action={bidAction}
                orderId={order.id}
                suggestedPrice={suggestedBid(order.maxPricePerHour)}
                maxPriceLabel={perHour(order.maxPricePerHour)}
                orderLabel={gpuRequestLabel(order.resources.gpu)}
              />
            )}
          </li>
        );
      })}
    </ul>
  );
}
