import { requireRole, type Principal } from "@/lib/auth/principal";
import { findAccountById, updateAccountStatus, type AccountRecord } from "@/lib/accounts/account.repository";
import { AppError } from "@/lib/errors";
import { marketTransaction } from "@/lib/market/market-transaction";
import {
  findProviderByAccount,
  lockOrder,
  listBidsForOrder,
  setBidStates,
  setOrderState,
} from "@/lib/market/market.repository";
import { bidToWire, orderToWire } from "@/lib/market/wire-format";

/**
 * Suspends or reinstates an account. Suspension takes effect at once (keys and sessions are
 * checked against the status on every request); the account's open orders and open bids
 * close. Running leases stay up: closing them is a separate, deliberate admin action.
 */
export async function setAccountStatus(
  principal: Principal,
  accountId: string,
  status: "active" | "suspended",
  now = new Date(),
): Promise<AccountRecord> {
  requireRole(principal, "admin");
  if (accountId === principal.accountId) throw new AppError("CONFLICT", "admins cannot suspend themselves");
  return marketTransaction(async (tx, emit) => {
    const account = await findAccountById(tx, accountId);
    if (!account) throw new AppError("NOT_FOUND", "no account with this id");
    const updated = await updateAccountStatus(tx, accountId, status);
    if (status === "active") return updated;

    const openOrders = await tx.order.findMany({
      where: { tenantId: accountId, state: "open" },
      select: { id: true },
      orderBy: { id: "asc" },
    });
    for (const { id } of openOrders) {
      const order = await lockOrder(tx, id);
      if (!order || order.state !== "open") continue;
      const bids = (await listBidsForOrder(tx, id)).filter((bid) => bid.state === "open");
      await setBidStates(
        tx,
        bids.map((bid) => bid.id),
        "closed",
        now,
      );
      await setOrderState(tx, id, "closed", now);
      await emit({
        type: "order.updated",
        entityId: id,
        audience: [accountId, ...bids.map((bid) => bid.provider.accountId)],
        payload: orderToWire({ ...order, state: "closed", closedAt: now }),
      });
    }
    const provider = await findProviderByAccount(tx, accountId);
    if (provider) {
      const openBids = await tx.bid.findMany({
        where: { providerId: provider.id, state: "open" },
        select: { id: true, orderId: true },
        orderBy: { orderId: "asc" },
      });
      for (const { id, orderId } of openBids) {
        const order = await lockOrder(tx, orderId);
        const bid = (await listBidsForOrder(tx, orderId, provider.id)).find((entry) => entry.id === id);
        if (!order || !bid || bid.state !== "open") continue;
        await setBidStates(tx, [id], "closed", now);
        await emit({
          type: "bid.updated",
          entityId: id,
          audience: [order.tenantId, accountId],
          payload: bidToWire({ ...bid, state: "closed", closedAt: now }),
        });
      }
    }
    return updated;
  });
}
