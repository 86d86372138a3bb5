import { endsWithin, timeLeft } from "@/components/market/time-left";
import { Badge, StateBadge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { perHour } from "@/lib/format";
import type { BidWire } from "@/lib/market/wire-format";
import { tryParseUsd } from "@/lib/money";

/** How long a bid that just arrived is highlighted as "New". */
export const FRESH_MS = 4000;

export function priceOf(bid: BidWire): bigint {
  return tryParseUsd(bid.pricePerHour) ?? 0n;
}

/** Open bids first, cheapest first (earliest on a tie, as auto-accept picks); then the rest, newest first. */
export function sortBids(bids: BidWire[]): BidWire[] {
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

/**
 * One bid in a tenant's list: price (per GPU when the order takes several), provider, time
 * left or final state, and Accept while the order is open. `compact` is the denser form used
 * inside a deployment's order cards.
 */
export function BidRow({
  bid,
  now,
  gpus,
  lowest,
  fresh,
  canAccept,
  accepting,
  onAccept,
  compact = false,
}: {
  bid: BidWire;
  now: number;
  gpus: number;
  lowest: boolean;
  fresh: boolean;
  canAccept: boolean;
  /** The bid being accepted right now, if any: every Accept button waits for it. */
  accepting: string | null;
  onAccept: (bid: BidWire) => void;
  compact?: boolean;
}) {
  const open = bid.state === "open" && Date.parse(bid.expiresAt) > now;
  const expired = bid.state === "open" && !open;
  return (
    <li
      data-testid="bid-row"
      data-bid-id={bid.id}
      className={`flex flex-wrap items-center gap-x-4 transition-colors duration-1000 sm:flex-nowrap ${
        compact ? "gap-y-1 py-2.5" : "gap-y-2 py-3"
      } ${fresh ? "-mx-2 rounded-md bg-brand-50 px-2" : ""}`}
    >
      <div className={compact ? "min-w-0 flex-1 basis-40" : "w-full min-w-0 sm:w-auto sm:flex-1"}>
        <p className="flex flex-wrap items-center gap-2">
          <span
            className={`${compact ? "text-base" : "text-lg"} font-semibold tabular-nums ${
              open || bid.state === "active" ? "text-slate-900" : "text-slate-400"
            }`}
          >
            {perHour(priceOf(bid))}
          </span>
          {lowest && canAccept && <Badge tone="green">Lowest price</Badge>}
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
              endsWithin(Date.parse(bid.expiresAt), now, 60) ? "font-medium text-amber-700" : "text-slate-600"
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
            onClick={() => onAccept(bid)}
            disabled={accepting !== null}
            aria-label={`Accept bid of ${perHour(priceOf(bid))} from ${bid.provider.name}`}
          >
            {accepting === bid.id ? "Accepting…" : "Accept"}
          </Button>
        )}
      </div>
    </li>
  );
}
