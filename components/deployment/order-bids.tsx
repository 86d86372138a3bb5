"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { endsWithin, timeLeft } from "@/components/market/time-left";
import { useNow } from "@/components/tenant/use-now";
import type { ActionResult } from "@/components/ui/action-result";
import { Badge, StateBadge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { perHour } from "@/lib/format";
import type { BidWire } from "@/lib/market/wire-format";
import { tryParseUsd } from "@/lib/money";
import { Spinner } from "./spinner";

const FRESH_MS = 4000;

function priceOf(bid: BidWire): bigint {
  return tryParseUsd(bid.pricePerHour) ?? 0n;
}

/** Open bids first, cheapest first (earliest on a tie, as auto-accept picks); then the rest, newest first. */
function sortBids(bids: BidWire[]): BidWire[] {
  return [...bids].sort((a, b) => {
    if (a.state === "open" && b.state !== "open") return -1;
    if (b.state === "open" && a.state !== "open") return 1;
    if (a.state === "open") {
      const diff = priceOf(a) - priceOf(b);
      if (diff !== 0n) return diff < 0n ? -1 : 1;
      return a.createdAt < b.createdAt ? -1 : 1;
    }
    return a.createdAt < b.createdAt ? 1 : -1;
  });
}

function AutoAcceptNote({ at, now, openBids }: { at: number; now: number; openBids: number }) {
  if (now < at) {
    return (
      <p className="text-xs font-medium text-brand-700" data-testid="auto-accept-countdown">
        Auto-accepts the cheapest bid in <span className="tabular-nums">{timeLeft(at, now)}</span>
      </p>
    );
  }
  return (
    <p className="text-xs font-medium text-brand-700">
      {openBids > 0 ? "Accepting the cheapest bid…" : "The first bid that arrives is accepted automatically."}
    </p>
  );
}

/**
 * The bids on one order of a deployment: cheapest first with a countdown each and an Accept
 * button while the order is open. The page re-renders from the server as bids arrive (see
 * DeploymentLive); bids that arrive while it is open are flagged "New" for a moment.
 */
export function OrderBids({
  orderId,
  bids,
  orderState,
  renderedAt,
  gpus,
  autoAcceptAt,
  acceptAction,
}: {
  orderId: string;
  bids: BidWire[];
  orderState: string;
  renderedAt: number;
  /** GPUs the whole order takes, to show each bid's price per GPU. */
  gpus: number;
  /** When auto-accept may pick a bid (ms since the epoch); null when it is off. */
  autoAcceptAt: number | null;
  acceptAction: (orderId: string, bidId: string) => Promise<ActionResult>;
}) {
  const router = useRouter();
  const now = useNow(renderedAt);
  const seen = useRef(new Set(bids.map((bid) => bid.id)));
  const [arrivedAt, setArrivedAt] = useState<Map<string, number>>(() => new Map());
  const [error, setError] = useState<string | null>(null);
  const [accepting, setAccepting] = useState<string | null>(null);
  const [, startTransition] = useTransition();

  useEffect(() => {
    const fresh = bids.filter((bid) => !seen.current.has(bid.id));
    if (fresh.length === 0) return;
    for (const bid of fresh) seen.current.add(bid.id);
    const at = Date.now();
    setArrivedAt((current) => new Map([...current, ...fresh.map((bid) => [bid.id, at] as const)]));
  }, [bids]);

  function accept(bid: BidWire) {
    setError(null);
    setAccepting(bid.id);
    startTransition(async () => {
      try {
        const result = await acceptAction(orderId, bid.id);
        if (!result.ok) setError(result.error);
        router.refresh();
      } catch {
        setError("Could not reach Bidcloud. Please try again.");
      } finally {
        setAccepting(null);
      }
    });
  }

  const sorted = sortBids(bids);
  const isOpen = (bid: BidWire) => bid.state === "open" && Date.parse(bid.expiresAt) > now;
  const openBids = sorted.filter(isOpen);
  const best = openBids[0]?.id;
  const canAccept = orderState === "open";

  return (
    <div>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="text-sm font-semibold text-slate-900">
          Bids{" "}
          <span className="font-normal tabular-nums text-slate-500">
            {canAccept ? `${openBids.length} open` : `${sorted.length} received`}
          </span>
        </h3>
        {canAccept && autoAcceptAt !== null && (
          <AutoAcceptNote at={autoAcceptAt} now={now} openBids={openBids.length} />
        )}
      </div>
      {error && (
        <div
          role="alert"
          className="mt-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-inset ring-red-200"
        >
          {error}
        </div>
      )}
      {sorted.length === 0 ? (
        canAccept ? (
          <div
            className="mt-2 flex items-start gap-3 rounded-lg border border-dashed border-slate-300 px-4 py-4"
            data-testid="bids-waiting"
          >
            <Spinner className="mt-0.5 h-4 w-4" />
            <div className="text-sm">
              <p className="font-semibold text-slate-900">Providers are pricing your order…</p>
              <p className="mt-0.5 text-slate-500">
                Bids appear here as they arrive, usually within seconds. None after a few minutes? Raise the
                max price or accept more GPU models in the SDL.
              </p>
            </div>
          </div>
        ) : (
          <p className="mt-2 text-sm text-slate-500">No bids were placed on this order.</p>
        )
      ) : (
        <ul
          className="mt-1 divide-y divide-slate-100"
          aria-live="polite"
          aria-label={`Bids on order ${orderId}`}
        >
          {sorted.map((bid) => {
            const open = isOpen(bid);
            const expired = bid.state === "open" && !open;
            const fresh = (arrivedAt.get(bid.id) ?? 0) > now - FRESH_MS;
            return (
              <li
                key={bid.id}
                data-testid="bid-row"
                data-bid-id={bid.id}
                className={`flex flex-wrap items-center gap-x-4 gap-y-1 py-2.5 transition-colors duration-1000 sm:flex-nowrap ${
                  fresh ? "-mx-2 rounded-md bg-brand-50 px-2" : ""
                }`}
              >
                <div className="min-w-0 flex-1 basis-40">
                  <p className="flex flex-wrap items-center gap-2">
                    <span
                      className={`text-base font-semibold tabular-nums ${
                        open || bid.state === "active" ? "text-slate-900" : "text-slate-400"
                      }`}
                    >
                      {perHour(priceOf(bid))}
                    </span>
                    {bid.id === best && canAccept && <Badge tone="green">Lowest price</Badge>}
                    {fresh && <Badge tone="blue">New</Badge>}
                  </p>
                  <p className="text-sm text-slate-600 sm:truncate">
                    {bid.provider.name} <span className="text-slate-400">·</span> {bid.provider.region}
                    {gpus > 1 && (
                      <span className="tabular-nums text-slate-400">
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
  );
}
