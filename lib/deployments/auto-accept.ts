import { findAccountById } from "@/lib/accounts/account.repository";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { acceptBid } from "@/lib/market/accept-bid";
import { effectiveBidState } from "@/lib/market/auction";
import { findOrder, listBidsForOrder, type LeaseRecord } from "@/lib/market/market.repository";
import { listAutoAcceptDue } from "./deployment.repository";

/**
 * For every open order of an auto-accepting deployment whose window has passed: accept the
 * cheapest open bid (earliest first on a tie) through the same atomic accept a person uses.
 * A bid that can no longer be accepted (its provider ran out of room or left, it closed) is
 * passed over for the next one; an order none of whose bids can be accepted (or whose accept
 * fails) rests ten seconds, so it cannot crowd out the others. Safe to run in several
 * processes at once: the accept's order lock lets exactly one of them win.
 */
export async function runAutoAccept(now = new Date()): Promise<LeaseRecord[]> {
  const leases: LeaseRecord[] = [];
  for (const [orderId, until] of resting) if (until <= now.getTime()) resting.delete(orderId);
  const due = (await listAutoAcceptDue(db(), now, DUE_BATCH + resting.size)).filter((id) => !resting.has(id));
  for (const orderId of due.slice(0, DUE_BATCH)) {
    try {
      const lease = await autoAcceptOrder(orderId, now);
      if (lease) leases.push(lease);
      else resting.set(orderId, now.getTime() + REST_MS);
    } catch (error) {
      // One order's failure must not hold up the others; it is tried again after a rest.
      resting.set(orderId, now.getTime() + REST_MS);
      logger.warn("auto-accept of an order failed", { orderId, error });
    }
  }
  return leases;
}

/** Orders none of whose bids could be accepted: left alone for REST_MS, so they cannot crowd out newer ones. */
const resting = new Map<string, number>();
const REST_MS = 10_000;
const DUE_BATCH = 100;

async function autoAcceptOrder(orderId: string, now: Date): Promise<LeaseRecord | null> {
  const order = await findOrder(db(), orderId);
  if (!order || order.state !== "open") return null;
  const tenant = await findAccountById(db(), order.tenantId);
  if (!tenant || tenant.status !== "active") return null;
  const principal: Principal = {
    accountId: tenant.id,
    email: tenant.email,
    ethAddress: tenant.ethAddress,
    roles: tenant.roles,
  };
  const candidates = (await listBidsForOrder(db(), order.id))
    .filter((bid) => effectiveBidState(bid, now) === "open" && bid.pricePerHour <= order.maxPricePerHour)
    .sort((a, b) =>
      a.pricePerHour < b.pricePerHour
        ? -1
        : a.pricePerHour > b.pricePerHour
          ? 1
          : a.createdAt.getTime() - b.createdAt.getTime(),
    );
  for (const bid of candidates) {
    try {
      return await acceptBid(principal, bid.id, now);
    } catch (error) {
      // The provider ran out of room or left, or the bid closed meanwhile: try the next one.
      if (!isAppError(error)) throw error;
    }
  }
  return null;
}
