import { isAdmin, type Principal } from "@/lib/auth/principal";
import { AppError } from "@/lib/errors";
import { closeEscrowAccount } from "@/lib/escrow/escrow-accounts";
import { escrowSettings } from "@/lib/escrow/settings";
import { closeOrderLocked } from "@/lib/market/close-order";
import { marketTransaction } from "@/lib/market/market-transaction";
import { listLeases, lockInventory, lockOrder, type OrderRecord } from "@/lib/market/market.repository";
import {
  findDeployment,
  listOrderIdsOfDeployment,
  lockDeployment,
  setDeploymentClosed,
  type DeploymentRecord,
} from "./deployment.repository";
import { deploymentToWire } from "./deployment-wire";

/**
 * Closes a deployment and, in the same transaction, every order of it that is still open or
 * active (their bids close, their leases close and free the provider's inventory). Locks:
 * the deployment, then its orders in id order, then the affected inventories.
 */
export async function closeDeployment(
  principal: Principal,
  deploymentId: string,
  now = new Date(),
): Promise<DeploymentRecord> {
  return marketTransaction(async (tx, emit) => {
    const found = await findDeployment(tx, deploymentId);
    if (!found) throw new AppError("NOT_FOUND", "no deployment with this id");
    const byAdmin = found.tenantId !== principal.accountId;
    if (byAdmin && !isAdmin(principal)) {
      throw new AppError("FORBIDDEN", "only the deployment's tenant can close it");
    }
    const deployment = await lockDeployment(tx, deploymentId);
    if (!deployment) throw new AppError("NOT_FOUND", "no deployment with this id");
    if (deployment.state === "closed") throw new AppError("INVALID_STATE", "deployment is already closed");

    // Every order first (id order), then the inventories of the providers whose leases will
    // close (provider id order), then the changes: the same order accept and close take
    // (order, then inventory), so this cannot deadlock with them or with another close.
    const orders: OrderRecord[] = [];
    for (const orderId of await listOrderIdsOfDeployment(tx, deployment.id)) {
      const order = await lockOrder(tx, orderId);
      if (order && order.state !== "closed") orders.push(order);
    }
    const live = await listLeases(tx, { orderIds: orders.map((order) => order.id), take: orders.length + 1 });
    const providerIds = [
      ...new Set(live.filter((l) => l.state !== "closed").map((l) => l.providerId)),
    ].sort();
    for (const providerId of providerIds) await lockInventory(tx, providerId);
    for (const order of orders) {
      await closeOrderLocked(tx, emit, order, byAdmin ? "admin" : "owner", now);
    }
    await setDeploymentClosed(tx, deployment.id, now);
    // After the leases' close intents, so the contract has no open lease when it refunds.
    await closeEscrowAccount(tx, escrowSettings(), deployment.id);
    const closed: DeploymentRecord = { ...deployment, state: "closed", closedAt: now };
    await emit({
      type: "deployment.updated",
      entityId: deployment.id,
      audience: [deployment.tenantId],
      payload: deploymentToWire(closed),
    });
    return closed;
  });
}
