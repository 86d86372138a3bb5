"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { timeLeft } from "@/components/market/time-left";
import { BidRow, FRESH_MS, sortBids } from "@/components/tenant/bid-row";
import { useNow } from "@/components/tenant/use-now";
import type { ActionResult } from "@/components/ui/action-result";
import type { BidWire } from "@/lib/market/wire-format";
import { Spinner } from "./spinner";

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
              compact
            />
          ))}
        </ul>
      )}
    </div>
  );
}
