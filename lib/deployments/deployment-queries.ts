import { hasRole, isAdmin, requireRole, type Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { effectiveBidState, effectiveOrderState } from "@/lib/market/auction";
import {
  findProviderByAccount,
  listBidsForOrder,
  listLeases,
  listOrders,
  type BidRecord,
  type LeaseRecord,
  type OrderRecord,
} from "@/lib/market/market.repository";
import {
  findDeployment,
  findSdl,
  listDeployments,
  type DeploymentRecord,
  type DeploymentState,
} from "./deployment.repository";
import { buildTimeline, type TimelineStep } from "./timeline";

const PAGE_SIZE_MAX = 100;

export interface DeploymentSummary {
  deployment: DeploymentRecord;
  orders: OrderRecord[];
  leases: LeaseRecord[];
}

export interface DeploymentDetail extends DeploymentSummary {
  /** The SDL source, for its tenant only: its env may hold secrets, which not even admins see. */
  sdl: string | null;
  bids: BidRecord[];
  timeline: TimelineStep[];
}

function visibleOrder(order: OrderRecord, now: Date): OrderRecord {
  return { ...order, state: effectiveOrderState(order, now) };
}

/** The caller's own deployments, newest first, with their orders and leases. */
export async function listDeploymentsFor(
  principal: Principal,
  query: { limit?: number },
  now = new Date(),
): Promise<DeploymentSummary[]> {
  const take = Math.min(query.limit ?? 50, PAGE_SIZE_MAX);
  return summarize(await listDeployments(db(), { tenantId: principal.accountId, take }), now);
}

/** Every tenant's deployments, for admins. */
export async function adminListDeployments(
  principal: Principal,
  filter: { state?: DeploymentState },
  now = new Date(),
): Promise<DeploymentSummary[]> {
  requireRole(principal, "admin");
  return summarize(await listDeployments(db(), { state: filter.state, take: PAGE_SIZE_MAX }), now);
}

async function summarize(deployments: DeploymentRecord[], now: Date): Promise<DeploymentSummary[]> {
  if (deployments.length === 0) return [];
  const orders = await listOrders(db(), {
    deploymentIds: deployments.map((deployment) => deployment.id),
    take: 10_000,
  });
  const leases = orders.length
    ? await listLeases(db(), { orderIds: orders.map((order) => order.id), take: 10_000 })
    : [];
  return deployments.map((deployment) => {
    const own = orders
      .filter((order) => order.deploymentId === deployment.id)
      .map((order) => visibleOrder(order, now));
    const ids = new Set(own.map((order) => order.id));
    return { deployment, orders: own.reverse(), leases: leases.filter((lease) => ids.has(lease.orderId)) };
  });
}

/** A deployment with its orders, bids, leases and timeline: for its tenant and admins. */
export async function getDeploymentFor(
  principal: Principal,
  deploymentId: string,
  now = new Date(),
): Promise<DeploymentDetail> {
  const deployment = await findDeployment(db(), deploymentId);
  if (!deployment) throw new AppError("NOT_FOUND", "no deployment with this id");
  if (deployment.tenantId !== principal.accountId && !isAdmin(principal)) {
    throw new AppError("FORBIDDEN", "only the deployment's tenant can see it");
  }
  const orders = (await listOrders(db(), { deploymentIds: [deployment.id], take: 1_000 }))
    .map((order) => visibleOrder(order, now))
    .reverse();
  const [bidLists, leases, sdl] = await Promise.all([
    Promise.all(orders.map((order) => listBidsForOrder(db(), order.id))),
    orders.length ? listLeases(db(), { orderIds: orders.map((order) => order.id), take: 1_000 }) : [],
    deployment.tenantId === principal.accountId ? findSdl(db(), deployment.id) : null,
  ]);
  const bids = bidLists.flat().map((bid) => ({ ...bid, state: effectiveBidState(bid, now) }));
  return {
    deployment,
    sdl,
    orders,
    bids,
    leases,
    timeline: buildTimeline({ deployment, orders, bids, leases }),
  };
}

/** Whether the caller is the provider of a live lease on one of the deployment's orders. */
export async function winningLeaseOf(
  principal: Principal,
  deploymentId: string,
): Promise<LeaseRecord | null> {
  if (!hasRole(principal, "provider")) return null;
  const provider = await findProviderByAccount(db(), principal.accountId);
  if (!provider || provider.status !== "active") return null;
  const orders = await listOrders(db(), { deploymentIds: [deploymentId], take: 1_000 });
  if (orders.length === 0) return null;
  const leases = await listLeases(db(), {
    providerId: provider.id,
    orderIds: orders.map((order) => order.id),
    take: 1_000,
  });
  return leases.find((lease) => lease.state !== "closed") ?? null;
}
