import { StateBadge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/card";
import { ConfirmAction } from "@/components/ui/confirm-action";
import type { FormAction } from "@/components/ui/form-state";
import { OrderResources } from "@/components/market/order-resources";
import { gpuRequestLabel } from "@/lib/gpu-names";
import { ShortId } from "@/components/ui/short-id";
import { StackCell, StackRow, StackTable } from "@/components/ui/stack-table";
import { TimeLeft } from "@/components/ui/time-left";
import { perHour, timeAgo } from "@/lib/format";
import type { BidRecord, OrderRecord } from "@/lib/market/market.repository";

export function ProviderBidsTable({
  bids,
  closeAction,
  now,
}: {
  bids: { bid: BidRecord; order: OrderRecord | null }[];
  closeAction: FormAction;
  now: Date;
}) {
  if (bids.length === 0) {
    return (
      <EmptyState title="No bids yet">
        Bid on an open order above. Each bid holds for 5 minutes; if the tenant accepts it, a lease starts and
        shows below.
      </EmptyState>
    );
  }
  return (
    <StackTable head={["Order", "Your price", "Max", "State", "Time left", "Placed", ""]}>
      {bids.map(({ bid, order }) => (
        <StackRow key={bid.id}>
          <StackCell label="" primary>
            {order ? (
              <OrderResources
                resources={order.resources}
                count={order.count}
                additionalUnits={order.additionalUnits}
              />
            ) : (
              <ShortId id={bid.orderId} />
            )}
          </StackCell>
          <StackCell label="Your price" className="font-semibold tabular-nums text-slate-900">
            {perHour(bid.pricePerHour)}
          </StackCell>
          <StackCell label="Max" className="tabular-nums text-slate-500">
            {order ? perHour(order.maxPricePerHour) : "—"}
          </StackCell>
          <StackCell label="State">
            <StateBadge state={bid.state} />
          </StackCell>
          <StackCell label="Time left">
            {bid.state === "open" ? (
              <TimeLeft until={bid.expiresAt.toISOString()} />
            ) : (
              <span className="text-slate-400">—</span>
            )}
          </StackCell>
          <StackCell label="Placed" className="text-slate-500">
            {timeAgo(bid.createdAt, now)}
          </StackCell>
          <StackCell label="" actions>
            {bid.state === "open" && (
              <ConfirmAction
                action={closeAction}
                fields={{ id: bid.id }}
                label="Close"
                confirmLabel="Close bid"
                prompt="Withdraw?"
                accessibleName={`Close bid on ${order ? gpuRequestLabel(order.resources.gpu) : "order"}`}
              />
            )}
          </StackCell>
        </StackRow>
      ))}
    </StackTable>
  );
}
