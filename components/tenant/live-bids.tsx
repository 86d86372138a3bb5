"use client";

import { useRouter } from "next/navigation";
import { useCallback, useState, useTransition } from "react";
import { LiveIndicator } from "@/components/live/live-indicator";
import { useMarketEvents } from "@/components/live/use-market-events";
import type { ActionResult } from "@/components/ui/action-result";
import { EmptyState } from "@/components/ui/card";
import type { BidWire, LeaseWire, OrderWire } from "@/lib/market/wire-format";
import { BidRow, FRESH_MS, sortBids } from "./bid-row";
import { useNow } from "./use-now";

function isBidForOrder(data: unknown, orderId: string): data is BidWire {
  return (
    typeof data === "object" &&
    data !== null &&
    (data as BidWire).orderId === orderId &&
    "pricePerHour" in data
  );
}

/**
 * The bids of one of the tenant's orders, kept current from the live event stream: new
 * and changed bids are merged from the event payloads, and the list is re-read from the
 * API whenever the stream (re)connects, so nothing placed while it was down is missed.
 */
export function LiveBids({
  orderId,
  initialBids,
  initialOrderState,
  renderedAt,
  gpus,
  acceptAction,
}: {
  orderId: string;
  /** GPUs the whole order takes (per replica × replicas), to show each bid's price per GPU. */
  gpus: number;
  initialBids: BidWire[];
  initialOrderState: string;
  renderedAt: number;
  acceptAction: (orderId: string, bidId: string) => Promise<ActionResult>;
}) {
  const router = useRouter();
  const now = useNow(renderedAt);
  const [bids, setBids] = useState<Map<string, BidWire>>(
    () => new Map(initialBids.map((bid) => [bid.id, bid])),
  );
  const [arrivedAt, setArrivedAt] = useState<Map<string, number>>(() => new Map());
  const [orderState, setOrderState] = useState(initialOrderState);
  const [error, setError] = useState<string | null>(null);
  const [accepting, setAccepting] = useState<string | null>(null);
  const [, startTransition] = useTransition();

  const merge = useCallback((incoming: BidWire[], live: boolean) => {
    setBids((current) => {
      const next = new Map(current);
      for (const bid of incoming) next.set(bid.id, bid);
      return next;
    });
    if (live) {
      setArrivedAt((current) => {
        const next = new Map(current);
        for (const bid of incoming) if (bid.state === "open") next.set(bid.id, Date.now());
        return next;
      });
    }
  }, []);

  const refetch = useCallback(async () => {
    try {
      const response = await fetch(`/api/v1/orders/${encodeURIComponent(orderId)}/bids`, {
        cache: "no-store",
      });
      if (!response.ok) return;
      const body = (await response.json()) as { bids: BidWire[] };
      merge(body.bids, false);
    } catch {
      // The stream's next reconnection tries again.
    }
  }, [orderId, merge]);

  const status = useMarketEvents(
    (type, data) => {
      if (type.startsWith("bid.") && isBidForOrder(data, orderId)) {
        merge([data], type === "bid.created");
      } else if (type === "order.updated" && (data as OrderWire | null)?.id === orderId) {
        setOrderState((data as OrderWire).state);
        router.refresh();
      } else if (type.startsWith("lease.") && (data as LeaseWire | null)?.orderId === orderId) {
        router.refresh();
      }
    },
    { onOpen: () => void refetch() },
  );

  function accept(bid: BidWire) {
    setError(null);
    setAccepting(bid.id);
    startTransition(async () => {
      try {
        const result = await acceptAction(orderId, bid.id);
        if (!result.ok) {
          setError(result.error);
          await refetch();
        } else {
          setOrderState("active");
          router.refresh();
        }
      } catch {
        setError("Could not reach Bidcloud. Please try again.");
      } finally {
        setAccepting(null);
      }
    });
  }

  const sorted = sortBids([...bids.values()]);
  const isOpen = (bid: BidWire) => bid.state === "open" && Date.parse(bid.expiresAt) > now;
  const openBids = sorted.filter(isOpen);
  const best = openBids[0]?.id;
  const canAccept = orderState === "open";

  return (
    <section aria-labelledby="bids-title" className="rounded-xl bg-white shadow-xs ring-1 ring-slate-200">
      <header className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-100 px-4 py-3 sm:px-5">
        <div>
          <h2 id="bids-title" className="text-base font-semibold text-slate-900">
            Bids{" "}
            <span className="ml-1 text-sm font-normal text-slate-500 tabular-nums">
              {openBids.length} open
            </span>
          </h2>
          <p className="mt-0.5 text-sm text-slate-500">
            {canAccept
              ? "New bids appear here as providers place them. Accept one to start the lease."
              : orderState === "active"
                ? "You accepted a bid; its lease is shown above."
                : "This order is closed and takes no more bids."}
          </p>
        </div>
        {orderState === "open" && <LiveIndicator status={status} />}
      </header>
      <div className="px-4 py-4 sm:px-5">
        {error && (
          <div
            role="alert"
            className="mb-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-inset ring-red-200"
          >
            {error}
          </div>
        )}
        {sorted.length === 0 ? (
          <EmptyState title={canAccept ? "Waiting for bids…" : "No bids were placed"}>
            {canAccept
              ? "Providers with matching free GPUs see your order now. Keep this page open — bids appear here without reloading. No bids after a few minutes? Raise your maximum price or relax the GPU model and region."
              : "Post a new order, perhaps with a higher maximum price or a broader GPU choice."}
          </EmptyState>
        ) : (
          <ul className="divide-y divide-slate-100" aria-live="polite" aria-label="Bids">
            {sorted.map((bid) => (
              <BidRow
                key={bid.id}
                bid={bid}
                now={now}
                gpus={gpus}
                lowest={bid.id === best}
                fresh={(arrivedAt.get(bid.id) ?? 0) > now - FRESH_MS}
                canAccept={canAccept}
                accepting={accepting}
                onAccept={accept}
              />
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
