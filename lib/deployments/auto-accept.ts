import { findAccountById } from "@/lib/accounts/account.repository";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import { acceptBid } from "@/lib/market/accept-bid";
import { effectiveBidState } from "@/lib/market/auction";
import { findOrder, listBidsForOrder, type LeaseRecord } from "@/lib/market/market.repository";
import { listAutoAcceptDue } from "./deployment.repository";

/**
 * For every open order of an auto-accepting deployment whose window has passed: accept the
 * cheapest open bid (earliest first on a tie) through the same atomic accept a person uses.
 * A bid that can no longer be accepted (its provider ran out of room or left, it closed) is
 * passed over for the next one. Safe to
 * run in several processes at once: the accept's order lock lets exactly one of them win.
 */
export async function runAutoAccept(now = new Date()): Promise<LeaseRecord[]> {
  const leases: LeaseRecord[] = [];
  for (const orderId of await listAutoAcceptDue(db(), now, 100)) {
    const order = await findOrder(db(), orderId);
    if (!order || order.state !== "open") continue;
    const tenant = await findAccountById(db(), order.tenantId);
    if (!tenant || tenant.status !== "active") continue;
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
        leases.push(await acceptBid(principal, bid.id, now));
        break;
      } catch (error) {
        // The provider ran out of room or left, or the bid closed meanwhile: try the next one.
        if (!isAppError(error)) throw error;
      }
    }
  }
  return leases;
}
