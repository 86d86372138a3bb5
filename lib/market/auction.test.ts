import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import {
  bidExpiry,
  checkNewBid,
  cheapestQualifiedBid,
  effectiveBidState,
  effectiveOrderState,
  resolveAccept,
  resolveBidClose,
  resolveLeaseClose,
  resolveOrderClose,
  sweepExpired,
  type NewBidInput,
} from "@/lib/market/auction";
import { canTransition } from "@/lib/market/states";
import {
  BID_STATES,
  BID_TTL_SECONDS,
  LEASE_STATES,
  ORDER_STATES,
  type BidSnapshot,
  type OrderSnapshot,
  type ProviderProfile,
} from "@/lib/market/types";

const NOW = new Date("2030-01-01T12:00:00.000Z");

function at(offsetSeconds: number): Date {
  return new Date(NOW.getTime() + offsetSeconds * 1000);
}

function order(overrides: Partial<OrderSnapshot> = {}): OrderSnapshot {
  return {
    id: "order-1",
    tenantId: "tenant-1",
    state: "open",
    maxPricePerHour: 2_500_000n,
    expiresAt: at(3600),
    ...overrides,
  };
}

function bid(overrides: Partial<BidSnapshot> = {}): BidSnapshot {
  return {
    id: "bid-1",
    orderId: "order-1",
    providerId: "prov-1",
    state: "open",
    pricePerHour: 2_000_000n,
    expiresAt: at(300),
    createdAt: at(-60),
    ...overrides,
  };
}

function provider(overrides: Partial<ProviderProfile> = {}): ProviderProfile {
  return { id: "prov-1", region: "us-east", attributes: {}, auditedBy: [], status: "active", ...overrides };
}

function newBid(overrides: Partial<NewBidInput> = {}): NewBidInput {
  return {
    order: order(),
    provider: provider(),
    price: 2_000_000n,
    existingBids: [],
    canServe: true,
    now: NOW,
    ...overrides,
  };
}

function catchAppError(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

describe("effectiveBidState", () => {
  it("keeps an open bid open before it expires", () => {
    expect(effectiveBidState(bid({ expiresAt: at(1) }), NOW)).toBe("open");
  });

  it("counts an open bid as closed from the instant it expires", () => {
    expect(effectiveBidState(bid({ expiresAt: NOW }), NOW)).toBe("closed");
    expect(effectiveBidState(bid({ expiresAt: at(-1) }), NOW)).toBe("closed");
  });

  it.each(BID_STATES.filter((state) => state !== "open"))(
    "leaves a %s bid as it is, expired or not",
    (state) => {
      expect(effectiveBidState(bid({ state, expiresAt: at(-1) }), NOW)).toBe(state);
      expect(effectiveBidState(bid({ state, expiresAt: at(1) }), NOW)).toBe(state);
    },
  );
});

describe("effectiveOrderState", () => {
  it("keeps an open order open before it expires", () => {
    expect(effectiveOrderState(order({ expiresAt: at(1) }), NOW)).toBe("open");
  });

  it("counts an open order as closed from the instant it expires", () => {
    expect(effectiveOrderState(order({ expiresAt: NOW }), NOW)).toBe("closed");
  });

  it.each(ORDER_STATES.filter((state) => state !== "open"))(
    "leaves a %s order as it is, expired or not",
    (state) => {
      expect(effectiveOrderState(order({ state, expiresAt: at(-1) }), NOW)).toBe(state);
    },
  );
});

describe("bidExpiry", () => {
  it("gives a bid the default TTL when the order lives longer", () => {
    expect(bidExpiry(NOW, at(3600))).toEqual(at(BID_TTL_SECONDS));
  });

  it("never lets a bid outlive its order", () => {
    expect(bidExpiry(NOW, at(60))).toEqual(at(60));
  });

  it("uses a given TTL", () => {
    expect(bidExpiry(NOW, at(3600), 30)).toEqual(at(30));
  });

  it("is the earlier of now + TTL and the order's expiry, for any times", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10_000, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        (orderIn, ttl) => {
          const expiry = bidExpiry(NOW, at(orderIn), ttl);
          expect(expiry.getTime()).toBeLessThanOrEqual(at(orderIn).getTime());
          expect(expiry.getTime()).toBeLessThanOrEqual(at(ttl).getTime());
          expect([at(orderIn).getTime(), at(ttl).getTime()]).toContain(expiry.getTime());
        },
      ),
    );
  });
});

describe("checkNewBid", () => {
  it("accepts a bid at or under the max price from a qualified provider", () => {
    expect(() => checkNewBid(newBid({ price: 2_000_000n }))).not.toThrow();
    expect(() => checkNewBid(newBid({ price: 2_500_000n }))).not.toThrow();
    expect(() => checkNewBid(newBid({ price: 1n }))).not.toThrow();
  });

  it.each(["active", "closed"] as const)("rejects a bid on a %s order", (state) => {
    const error = catchAppError(() => checkNewBid(newBid({ order: order({ state }) })));
    expect(error).toMatchObject({ code: "INVALID_STATE", message: "order is not open" });
  });

  it("rejects a bid on an order that has expired but is still stored as open", () => {
    const error = catchAppError(() => checkNewBid(newBid({ order: order({ expiresAt: NOW }) })));
    expect(error).toMatchObject({ code: "INVALID_STATE", message: "order is not open" });
  });

  it("forbids a suspended provider from bidding", () => {
    const error = catchAppError(() => checkNewBid(newBid({ provider: provider({ status: "suspended" }) })));
    expect(error.code).toBe("FORBIDDEN");
  });

  it.each([0n, -1n])("rejects a price of %s micro-dollars, naming the field", (price) => {
    const error = catchAppError(() => checkNewBid(newBid({ price })));
    expect(error.code).toBe("VALIDATION");
    expect(error.fields?.[0]?.path).toBe("pricePerHour");
  });

  it("rejects a bid above the order's max price, quoting that price", () => {
    const error = catchAppError(() => checkNewBid(newBid({ price: 2_500_001n })));
    expect(error.code).toBe("VALIDATION");
    expect(error.fields).toEqual([
      { path: "pricePerHour", message: "must be at most the order's max price of 2.500000" },
    ]);
  });

  it("rejects a second open bid by the same provider on the order", () => {
    const error = catchAppError(() => checkNewBid(newBid({ existingBids: [bid()] })));
    expect(error).toMatchObject({
      code: "CONFLICT",
      message: "provider already has an open bid on this order",
    });
  });

  it("lets a provider bid again once its earlier bid expired, lost or was closed", () => {
    const earlier = [
      bid({ id: "b-expired", expiresAt: NOW }),
      bid({ id: "b-lost", state: "lost" }),
      bid({ id: "b-closed", state: "closed" }),
    ];
    expect(() => checkNewBid(newBid({ existingBids: earlier }))).not.toThrow();
  });

  it("ignores open bids of other providers and on other orders", () => {
    const others = [bid({ providerId: "prov-2" }), bid({ orderId: "order-2" })];
    expect(() => checkNewBid(newBid({ existingBids: others }))).not.toThrow();
  });

  it("rejects a bid when the provider's free inventory cannot serve the order", () => {
    const error = catchAppError(() => checkNewBid(newBid({ canServe: false })));
    expect(error).toMatchObject({ code: "CONFLICT", message: "free inventory does not satisfy the order" });
  });

  it("reports a closed order before any problem with the bid itself", () => {
    const error = catchAppError(() =>
      checkNewBid(
        newBid({
          order: order({ state: "closed" }),
          provider: provider({ status: "suspended" }),
          price: 0n,
          canServe: false,
        }),
      ),
    );
    expect(error.code).toBe("INVALID_STATE");
  });
});

describe("resolveAccept", () => {
  it("activates the order with the chosen bid and marks every other open bid lost", () => {
    const bids = [
      bid({ id: "bid-1" }),
      bid({ id: "bid-2", providerId: "prov-2" }),
      bid({ id: "bid-3", providerId: "prov-3" }),
    ];
    expect(resolveAccept({ order: order(), bid: bids[0] as BidSnapshot, bids, now: NOW })).toEqual({
      orderState: "active",
      acceptedBidId: "bid-1",
      lostBidIds: ["bid-2", "bid-3"],
    });
  });

  it("marks expired bids still stored as open lost too, and leaves closed and other orders' bids alone", () => {
    const accepted = bid({ id: "bid-1" });
    const bids = [
      accepted,
      bid({ id: "bid-expired", providerId: "prov-2", expiresAt: at(-1) }),
      bid({ id: "bid-withdrawn", providerId: "prov-3", state: "closed" }),
      bid({ id: "bid-other-order", orderId: "order-2" }),
    ];
    expect(resolveAccept({ order: order(), bid: accepted, bids, now: NOW }).lostBidIds).toEqual([
      "bid-expired",
    ]);
  });

  it("has no lost bids when the accepted bid is the only one", () => {
    const only = bid();
    expect(resolveAccept({ order: order(), bid: only, bids: [only], now: NOW }).lostBidIds).toEqual([]);
  });

  it.each(["active", "closed"] as const)("rejects accepting on a %s order", (state) => {
    const error = catchAppError(() =>
      resolveAccept({ order: order({ state }), bid: bid(), bids: [], now: NOW }),
    );
    expect(error).toMatchObject({ code: "INVALID_STATE", message: "order is no longer open" });
  });

  it("rejects accepting on an order that has expired", () => {
    const error = catchAppError(() =>
      resolveAccept({ order: order({ expiresAt: at(-1) }), bid: bid(), bids: [], now: NOW }),
    );
    expect(error).toMatchObject({ code: "INVALID_STATE", message: "order is no longer open" });
  });

  it("reports a bid of another order as not found", () => {
    const error = catchAppError(() =>
      resolveAccept({ order: order(), bid: bid({ orderId: "order-2" }), bids: [], now: NOW }),
    );
    expect(error.code).toBe("NOT_FOUND");
  });

  it("rejects accepting a bid that has expired", () => {
    const error = catchAppError(() =>
      resolveAccept({ order: order(), bid: bid({ expiresAt: NOW }), bids: [], now: NOW }),
    );
    expect(error).toMatchObject({ code: "INVALID_STATE", message: "bid is no longer open" });
  });

  it.each(["active", "lost", "closed"] as const)("rejects accepting a %s bid", (state) => {
    const error = catchAppError(() =>
      resolveAccept({ order: order(), bid: bid({ state }), bids: [], now: NOW }),
    );
    expect(error).toMatchObject({ code: "INVALID_STATE", message: "bid is no longer open" });
  });
});

describe("resolveOrderClose", () => {
  it("closes an open order's open bids, expired ones included", () => {
    const bids = [
      bid({ id: "bid-1" }),
      bid({ id: "bid-expired", expiresAt: at(-1) }),
      bid({ id: "bid-closed", state: "closed" }),
      bid({ id: "bid-other-order", orderId: "order-2" }),
    ];
    expect(resolveOrderClose({ order: order(), bids, now: NOW })).toEqual({
      closedBidIds: ["bid-1", "bid-expired"],
      closesLease: false,
    });
  });

  it("allows closing an order that expired but was not swept yet", () => {
    expect(resolveOrderClose({ order: order({ expiresAt: at(-1) }), bids: [], now: NOW })).toEqual({
      closedBidIds: [],
      closesLease: false,
    });
  });

  it("closes an active order by closing its lease", () => {
    expect(
      resolveOrderClose({ order: order({ state: "active" }), bids: [bid({ state: "active" })], now: NOW }),
    ).toEqual({
      closedBidIds: [],
      closesLease: true,
    });
  });

  it("rejects closing an order that is already closed", () => {
    const error = catchAppError(() =>
      resolveOrderClose({ order: order({ state: "closed" }), bids: [], now: NOW }),
    );
    expect(error.code).toBe("INVALID_STATE");
  });
});

describe("resolveBidClose", () => {
  it("allows withdrawing an open bid, even one past its expiry", () => {
    expect(() => resolveBidClose({ bid: bid(), now: NOW })).not.toThrow();
    expect(() => resolveBidClose({ bid: bid({ expiresAt: at(-1) }), now: NOW })).not.toThrow();
  });

  it.each(["active", "lost", "closed"] as const)("rejects closing a %s bid directly", (state) => {
    const error = catchAppError(() => resolveBidClose({ bid: bid({ state }), now: NOW }));
    expect(error).toMatchObject({ code: "INVALID_STATE", message: "bid is not open" });
  });
});

describe("resolveLeaseClose", () => {
  it.each(["active", "insufficient_funds"] as const)("allows closing a lease that is %s", (leaseState) => {
    expect(() => resolveLeaseClose({ leaseState })).not.toThrow();
  });

  it("rejects closing a lease that is already closed", () => {
    expect(catchAppError(() => resolveLeaseClose({ leaseState: "closed" })).code).toBe("INVALID_STATE");
  });

  it.each(LEASE_STATES)("decides a %s lease the same way the lease transition table does", (leaseState) => {
    const closable = canTransition("lease", leaseState, "closed");
    if (closable) expect(() => resolveLeaseClose({ leaseState })).not.toThrow();
    else expect(() => resolveLeaseClose({ leaseState })).toThrow(AppError);
  });
});

describe("cheapestQualifiedBid", () => {
  it("picks the lowest price", () => {
    const bids = [
      bid({ id: "bid-a", pricePerHour: 2_000_000n }),
      bid({ id: "bid-b", pricePerHour: 1_500_000n }),
      bid({ id: "bid-c", pricePerHour: 1_750_000n }),
    ];
    expect(cheapestQualifiedBid(bids, NOW)?.id).toBe("bid-b");
  });

  it("breaks a price tie by the earliest bid, then by id", () => {
    const bids = [
      bid({ id: "bid-c", pricePerHour: 1n, createdAt: at(-10) }),
      bid({ id: "bid-b", pricePerHour: 1n, createdAt: at(-30) }),
      bid({ id: "bid-a", pricePerHour: 1n, createdAt: at(-10) }),
    ];
    expect(cheapestQualifiedBid(bids, NOW)?.id).toBe("bid-b");
    expect(cheapestQualifiedBid([bids[0] as BidSnapshot, bids[2] as BidSnapshot], NOW)?.id).toBe("bid-a");
  });

  it("passes over cheaper bids that expired or are no longer open", () => {
    const bids = [
      bid({ id: "bid-expired", pricePerHour: 1n, expiresAt: NOW }),
      bid({ id: "bid-lost", pricePerHour: 1n, state: "lost" }),
      bid({ id: "bid-closed", pricePerHour: 1n, state: "closed" }),
      bid({ id: "bid-open", pricePerHour: 9n }),
    ];
    expect(cheapestQualifiedBid(bids, NOW)?.id).toBe("bid-open");
  });

  it("returns null when no bid is open", () => {
    expect(cheapestQualifiedBid([], NOW)).toBeNull();
    expect(cheapestQualifiedBid([bid({ expiresAt: at(-1) })], NOW)).toBeNull();
  });

  it("returns an open bid no other open bid beats, whatever the input order", () => {
    const bidArb = fc.record({
      id: fc.constantFrom("a", "b", "c", "d", "e"),
      price: fc.bigInt({ min: 1n, max: 5n }),
      createdIn: fc.integer({ min: -5, max: 0 }),
      expiresIn: fc.integer({ min: -2, max: 5 }),
      state: fc.constantFrom(...BID_STATES),
    });
    fc.assert(
      fc.property(fc.uniqueArray(bidArb, { selector: (b) => b.id, maxLength: 5 }), (specs) => {
        const bids = specs.map((s) =>
          bid({
            id: s.id,
            pricePerHour: s.price,
            createdAt: at(s.createdIn),
            expiresAt: at(s.expiresIn),
            state: s.state,
          }),
        );
        const open = bids.filter((b) => effectiveBidState(b, NOW) === "open");
        const best = cheapestQualifiedBid(bids, NOW);
        const bestReversed = cheapestQualifiedBid([...bids].reverse(), NOW);
        if (open.length === 0) {
          expect(best).toBeNull();
          return;
        }
        expect(best).not.toBeNull();
        expect(bestReversed?.id).toBe(best?.id);
        expect(open).toContain(best);
        for (const other of open) {
          const key = (b: BidSnapshot) => [b.pricePerHour, b.createdAt.getTime(), b.id] as const;
          const [p1, t1, id1] = key(best as BidSnapshot);
          const [p2, t2, id2] = key(other);
          const beaten = p2 < p1 || (p2 === p1 && (t2 < t1 || (t2 === t1 && id2 < id1)));
          expect(beaten).toBe(false);
        }
      }),
    );
  });
});

describe("sweepExpired", () => {
  it("expires open orders and open bids whose time is up, inclusive of the instant", () => {
    const orders = [
      order({ id: "order-expired", expiresAt: NOW }),
      order({ id: "order-live", expiresAt: at(1) }),
    ];
    const bids = [
      bid({ id: "bid-expired", orderId: "order-live", expiresAt: at(-1) }),
      bid({ id: "bid-live", orderId: "order-live", expiresAt: at(1) }),
    ];
    expect(sweepExpired({ orders, bids, now: NOW })).toEqual({
      expiredOrderIds: ["order-expired"],
      expiredBidIds: ["bid-expired"],
    });
  });

  it("expires an open bid along with its expired order, even if the bid's own time is not up", () => {
    const orders = [order({ id: "order-expired", expiresAt: at(-1) })];
    const bids = [bid({ id: "bid-on-expired", orderId: "order-expired", expiresAt: at(100) })];
    expect(sweepExpired({ orders, bids, now: NOW }).expiredBidIds).toEqual(["bid-on-expired"]);
  });

  it("leaves records that are not stored as open alone, however old", () => {
    const orders = [
      order({ id: "order-active", state: "active", expiresAt: at(-100) }),
      order({ id: "order-closed", state: "closed", expiresAt: at(-100) }),
    ];
    const bids = (["active", "lost", "closed"] as const).map((state) =>
      bid({ id: `bid-${state}`, state, orderId: "order-active", expiresAt: at(-100) }),
    );
    expect(sweepExpired({ orders, bids, now: NOW })).toEqual({ expiredOrderIds: [], expiredBidIds: [] });
  });

  it("expires exactly the stored-open records whose effective state is closed", () => {
    const recordArb = fc.record({
      orderState: fc.constantFrom(...ORDER_STATES),
      orderExpiresIn: fc.integer({ min: -3, max: 3 }),
      bids: fc.array(
        fc.record({ state: fc.constantFrom(...BID_STATES), expiresIn: fc.integer({ min: -3, max: 3 }) }),
        { maxLength: 4 },
      ),
    });
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 4 }), (records) => {
        const orders = records.map((r, i) =>
          order({ id: `o${i}`, state: r.orderState, expiresAt: at(r.orderExpiresIn) }),
        );
        const bids = records.flatMap((r, i) =>
          r.bids.map((b, j) =>
            bid({ id: `o${i}b${j}`, orderId: `o${i}`, state: b.state, expiresAt: at(b.expiresIn) }),
          ),
        );
        const { expiredOrderIds, expiredBidIds } = sweepExpired({ orders, bids, now: NOW });
        expect(expiredOrderIds).toEqual(
          orders
            .filter((o) => o.state === "open" && effectiveOrderState(o, NOW) === "closed")
            .map((o) => o.id),
        );
        const ordersById = new Map(orders.map((o) => [o.id, o]));
        expect(expiredBidIds).toEqual(
          bids
            .filter((b) => {
              const parent = ordersById.get(b.orderId) as OrderSnapshot;
              const parentExpired = parent.state === "open" && effectiveOrderState(parent, NOW) === "closed";
              return b.state === "open" && (effectiveBidState(b, NOW) === "closed" || parentExpired);
            })
            .map((b) => b.id),
        );
      }),
    );
  });
});
