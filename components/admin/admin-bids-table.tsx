import { StateBadge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/card";
import { ShortId } from "@/components/ui/short-id";
import { StackCell, StackRow, StackTable } from "@/components/ui/stack-table";
import { TimeLeft } from "@/components/ui/time-left";
import { perHour, timeAgo } from "@/lib/format";
import { effectiveBidState } from "@/lib/market/auction";
import type { BidRecord } from "@/lib/market/market.repository";

export function AdminBidsTable({ bids, now }: { bids: BidRecord[]; now: Date }) {
  if (bids.length === 0) {
    return (
      <EmptyState title="No bids match this filter">
        Providers bid on open orders from their dashboard or agent; clear the filter to see all.
      </EmptyState>
    );
  }
  return (
    <StackTable head={["Provider", "Order", "Price", "State", "Placed", "Time left"]}>
      {bids.map((bid) => {
        const state = effectiveBidState(bid, now);
        return (
          <StackRow key={bid.id}>
            <StackCell label="" primary>
              <div className="font-medium text-slate-900">{bid.provider.name}</div>
              <div className="text-xs text-slate-500">{bid.provider.region}</div>
            </StackCell>
            <StackCell label="Order">
              <ShortId id={bid.orderId} />
            </StackCell>
            <StackCell label="Price" className="font-semibold tabular-nums text-slate-900">
              {perHour(bid.pricePerHour)}
            </StackCell>
            <StackCell label="State">
              <StateBadge state={state} />
            </StackCell>
            <StackCell label="Placed" className="text-slate-500">
              {timeAgo(bid.createdAt, now)}
            </StackCell>
            <StackCell label="Time left">
              {state === "open" ? (
                <TimeLeft until={bid.expiresAt.toISOString()} />
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
