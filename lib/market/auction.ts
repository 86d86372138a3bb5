/**
 * Reverse-auction rules: who may bid, which bid may be accepted, what closing and expiry do.
 * Pure functions of snapshots and `now`; they decide and the use cases write.
 *
 * Expiry is lazy: a stored "open" order or bid whose expiresAt <= now already counts as
 * closed for every decision here, before any sweep has written that state.
 */
import { AppError, validationError } from "@/lib/errors";
import { formatUsd } from "@/lib/money";
import type {
  BidSnapshot,
  BidState,
  LeaseState,
  OrderSnapshot,
  OrderState,
  ProviderProfile,
} from "@/lib/market/types";
import { BID_TTL_SECONDS } from "@/lib/market/types";

export function effectiveBidState(bid: BidSnapshot, now: Date): BidState {
  return bid.state === "open" && hasExpired(bid.expiresAt, now) ? "closed" : bid.state;
}

export function effectiveOrderState(order: OrderSnapshot, now: Date): OrderState {
  return order.state === "open" && hasExpired(order.expiresAt, now) ? "closed" : order.state;
}

/** A bid lives BID_TTL_SECONDS, but never past its order's expiry. */
export function bidExpiry(now: Date, orderExpiresAt: Date, ttlSeconds: number = BID_TTL_SECONDS): Date {
  const ttlEnd = now.getTime() + ttlSeconds * 1000;
  return new Date(Math.min(ttlEnd, orderExpiresAt.getTime()));
}

export interface NewBidInput {
  order: OrderSnapshot;
  provider: ProviderProfile;
  /** Micro-USD per hour. */
  price: bigint;
  /** Bids already on the order (others' bids and bids of other orders are ignored). */
  existingBids: readonly BidSnapshot[];
  /** Whether the provider's free inventory can place the order (see matching.canServe). */
  canServe: boolean;
  now: Date;
}

export function checkNewBid({ order, provider, price, existingBids, canServe, now }: NewBidInput): void {
  if (effectiveOrderState(order, now) !== "open") {
    throw new AppError("INVALID_STATE", "order is not open");
  }
  if (provider.status !== "active") {
    throw new AppError("FORBIDDEN", "provider is suspended");
  }
  if (price <= 0n) {
    throw validationError("pricePerHour", "must be greater than 0");
  }
  if (price > order.maxPricePerHour) {
    throw validationError(
      "pricePerHour",
      `must be at most the order's max price of ${formatUsd(order.maxPricePerHour)}`,
    );
  }
  const hasOpenBid = existingBids.some(
    (bid) =>
      bid.orderId === order.id && bid.providerId === provider.id && effectiveBidState(bid, now) === "open",
  );
  if (hasOpenBid) {
    throw new AppError("CONFLICT", "provider already has an open bid on this order");
  }
  if (!canServe) {
    throw new AppError("CONFLICT", "free inventory does not satisfy the order");
  }
}

export interface AcceptOutcome {
  orderState: "active";
  acceptedBidId: string;
  lostBidIds: string[];
}

/**
 * Decides an accept. Every other bid on the order still stored as "open" is lost, including
 * ones already expired but not yet swept: once the order is active none of them can win, and
 * "lost" tells their providers why.
 */
export function resolveAccept({
  order,
  bid,
  bids,
  now,
}: {
  order: OrderSnapshot;
  bid: BidSnapshot;
  bids: readonly BidSnapshot[];
  now: Date;
}): AcceptOutcome {
  if (effectiveOrderState(order, now) !== "open") {
    throw new AppError("INVALID_STATE", "order is no longer open");
  }
  if (bid.orderId !== order.id) {
    throw new AppError("NOT_FOUND", "bid not found on this order");
  }
  if (effectiveBidState(bid, now) !== "open") {
    throw new AppError("INVALID_STATE", "bid is no longer open");
  }
  const lostBidIds = bids
    .filter((other) => other.orderId === order.id && other.id !== bid.id && other.state === "open")
    .map((other) => other.id);
  return { orderState: "active", acceptedBidId: bid.id, lostBidIds };
}

export interface OrderCloseOutcome {
  closedBidIds: string[];
  /** True when the order is active: closing it means closing its lease (which closes the bid). */
  closesLease: boolean;
}

/**
 * Decides closing an order by stored state: an expired-but-unswept order can still be
 * closed, and its stored-open bids (expired or not) are closed with it. `now` is accepted
 * for the uniform call shape of these rules; the decision does not depend on it.
 */
export function resolveOrderClose(input: {
  order: OrderSnapshot;
  bids: readonly BidSnapshot[];
  now: Date;
}): OrderCloseOutcome {
  const { order, bids } = input;
  if (order.state === "closed") {
    throw new AppError("INVALID_STATE", "order is already closed");
  }
  if (order.state === "active") {
    return { closedBidIds: [], closesLease: true };
  }
  const closedBidIds = bids
    .filter((bid) => bid.orderId === order.id && bid.state === "open")
    .map((bid) => bid.id);
  return { closedBidIds, closesLease: false };
}

/**
 * Only a stored-open bid is withdrawn directly (expired or not); an active bid closes
 * through its lease. `now` is accepted for the uniform call shape; the decision ignores it.
 */
export function resolveBidClose(input: { bid: BidSnapshot; now: Date }): void {
  if (input.bid.state !== "open") {
    throw new AppError("INVALID_STATE", "bid is not open");
  }
}

/** A running lease and one starved of funds can both be closed; a closed one cannot. */
export function resolveLeaseClose({ leaseState }: { leaseState: LeaseState }): void {
  if (leaseState !== "active" && leaseState !== "insufficient_funds") {
    throw new AppError("INVALID_STATE", "lease is already closed");
  }
}

/** Lowest price among effectively-open bids; ties go to the earliest bid, then the lowest id. */
export function cheapestQualifiedBid(bids: readonly BidSnapshot[], now: Date): BidSnapshot | null {
  let best: BidSnapshot | null = null;
  for (const bid of bids) {
    if (effectiveBidState(bid, now) !== "open") continue;
    if (best === null || ranksBefore(bid, best)) best = bid;
  }
  return best;
}

function ranksBefore(a: BidSnapshot, b: BidSnapshot): boolean {
  if (a.pricePerHour !== b.pricePerHour) return a.pricePerHour < b.pricePerHour;
  const byTime = a.createdAt.getTime() - b.createdAt.getTime();
  if (byTime !== 0) return byTime < 0;
  return a.id < b.id;
}

export interface SweepOutcome {
  expiredOrderIds: string[];
  expiredBidIds: string[];
}

/** Which stored-open orders and bids have expired; an open bid on an expired order expires too. */
export function sweepExpired({
  orders,
  bids,
  now,
}: {
  orders: readonly OrderSnapshot[];
  bids: readonly BidSnapshot[];
  now: Date;
}): SweepOutcome {
  const expiredOrderIds = orders
    .filter((order) => order.state === "open" && hasExpired(order.expiresAt, now))
    .map((order) => order.id);
  const expiredOrders = new Set(expiredOrderIds);
  const expiredBidIds = bids
    .filter(
      (bid) => bid.state === "open" && (hasExpired(bid.expiresAt, now) || expiredOrders.has(bid.orderId)),
    )
    .map((bid) => bid.id);
  return { expiredOrderIds, expiredBidIds };
}

/** Expiry is inclusive: at the expiresAt instant the record is already expired. */
function hasExpired(expiresAt: Date, now: Date): boolean {
  return expiresAt.getTime() <= now.getTime();
}
