"use client";

import { useRouter } from "next/navigation";
import { useCallback, useState, useTransition } from "react";
import { LiveIndicator } from "@/components/live/live-indicator";
import { useMarketEvents } from "@/components/live/use-market-events";
import { timeLeft, endsWithin } from "@/components/market/time-left";
import { Badge, StateBadge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/components/ui/action-result";
import { EmptyState } from "@/components/ui/card";
import { perHour } from "@/lib/format";
import type { BidWire, LeaseWire, OrderWire } from "@/lib/market/wire-format";
import { tryParseUsd } from "@/lib/money";
import { useNow } from "./use-now";

const FRESH_MS = 4000;

function priceOf(bid: BidWire): bigint {
  return tryParseUsd(bid.pricePerHour) ?? 0n;
}

function isBidForOrder(data: unknown, orderId: string): data is BidWire {
  return (
    typeof data === "object" &&
    data !== null &&
    (data as BidWire).orderId === orderId &&
    "pricePerHour" in data
  );
}

/** Open bids first, cheapest first; then the rest, newest first. */
function sortBids(bids: BidWire[]): BidWire[] {
  return [...bids].sort((a, b) => {
    if (a.state === "open" && b.state !== "open") return -1;
    if (b.state === "open" && a.state !== "open") return 1;
    if (a.state === "open") {
      const diff = priceOf(a) - priceOf(b);
      if (diff !== 0n) return diff < 0n ? -1 : 1;
    }
    return a.createdAt < b.createdAt ? 1 : -1;
  });
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
            {sorted.map((bid) => {
              const open = isOpen(bid);
              const expired = bid.state === "open" && !open;
              const fresh = (arrivedAt.get(bid.id) ?? 0) > now - FRESH_MS;
              return (
                <li
                  key={bid.id}
                  data-testid="bid-row"
                  data-bid-id={bid.id}
                  className={`flex flex-wrap items-center gap-x-4 gap-y-2 py-3 transition-colors duration-1000 sm:flex-nowrap ${fresh ? "-mx-2 rounded-md bg-brand-50 px-2" : ""}`}
                >
                  <div className="w-full min-w-0 sm:w-auto sm:flex-1">
                    <p className="flex flex-wrap items-center gap-2">
                      <span
                        className={`text-lg font-semibold tabular-nums ${open || bid.state === "active" ? "text-slate-900" : "text-slate-400"}`}
                      >
                        {perHour(priceOf(bid))}
                      </span>
                      {bid.id === best && canAccept && <Badge tone="green">Lowest price</Badge>}
                      {fresh && <Badge tone="blue">New</Badge>}
                    </p>
                    <p className="text-sm text-slate-600 sm:truncate">
                      {bid.provider.name} <span className="text-slate-400">·</span> {bid.provider.region}
                      {gpus > 1 && (
                        <span className="text-slate-400 tabular-nums">
                          {" "}
                          · {perHour(priceOf(bid) / BigInt(gpus))} per GPU
                        </span>
                      )}
                    </p>
                  </div>
                  <div className="text-sm tabular-nums sm:w-32 sm:text-right">
                    {open ? (
                      <span
                        className={
                          endsWithin(Date.parse(bid.expiresAt), now, 60)
                            ? "font-medium text-amber-700"
                            : "text-slate-600"
                        }
                      >
                        <span className="sr-only">Time left: </span>
                        {timeLeft(Date.parse(bid.expiresAt), now)} left
                      </span>
                    ) : (
                      <StateBadge state={expired ? "expired" : bid.state} />
                    )}
                  </div>
                  <div className="ml-auto sm:ml-0 sm:w-24 sm:text-right">
                    {open && canAccept && (
                      <Button
                        size="sm"
                        onClick={() => accept(bid)}
                        disabled={accepting !== null}
                        aria-label={`Accept bid of ${perHour(priceOf(bid))} from ${bid.provider.name}`}
                      >
                        {accepting === bid.id ? "Accepting…" : "Accept"}
                      </Button>
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </section>
  );
}
