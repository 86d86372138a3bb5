import type { BidRecord, LeaseRecord, OrderRecord } from "@/lib/market/market.repository";
import type { LeaseCloseReason } from "@/lib/market/types";
import type { LeaseWorkloadStatus } from "@/lib/verify/protocol";
import type { DeploymentRecord } from "./deployment.repository";

const CLOSED_BY: Record<LeaseCloseReason, string> = {
  owner: "you",
  provider: "the provider",
  unstable: "the marketplace: the workload was unstable",
  manifest_timeout: "the marketplace: nothing ran in time",
  insufficient_funds: "the marketplace: the escrow ran out",
  admin: "an admin",
};

const RUNNING_PENDING: Record<LeaseWorkloadStatus, string> = {
  pending: "Waiting for the provider's agent to report the workload",
  deploying: "The provider is starting the workload",
  running: "The provider reports it running; the marketplace is checking it",
  degraded: "The provider reports a service not ready",
  failed: "The provider could not start the workload",
  manifest_rejected: "The provider refused the manifest: its hash did not match the lease's",
};

/** One step of a deployment's life, as its page shows it. Pure: records in, steps out. */
export interface TimelineStep {
  kind: "posted" | "bids" | "lease" | "manifest" | "running" | "closed";
  /** When it happened; null for a step still to come. */
  at: Date | null;
  title: string;
  detail: string;
  orderId: string | null;
}

/**
 * Posted, then per placement group: first bid, lease, manifest delivered, running; then
 * closed. Steps that have not happened yet are included (at: null) while the deployment is
 * active, so the page can show what comes next.
 */
export function buildTimeline(input: {
  deployment: DeploymentRecord;
  orders: readonly OrderRecord[];
  bids: readonly BidRecord[];
  leases: readonly LeaseRecord[];
}): TimelineStep[] {
  const { deployment, orders, bids, leases } = input;
  const active = deployment.state === "active";
  const steps: TimelineStep[] = [
    {
      kind: "posted",
      at: deployment.createdAt,
      title: "Posted",
      detail: `${orders.length} ${orders.length === 1 ? "order" : "orders"} opened; manifest ${deployment.manifestVersion.slice(0, 12)}…`,
      orderId: null,
    },
  ];
  const byOldest = [...orders].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  for (const order of byOldest) {
    const group = orders.length > 1 ? ` (${order.groupName ?? order.id})` : "";
    const orderBids = bids
      .filter((bid) => bid.orderId === order.id)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    const lease = leases.find((entry) => entry.orderId === order.id) ?? null;
    const firstBid = orderBids[0];
    if (firstBid) {
      steps.push({
        kind: "bids",
        at: firstBid.createdAt,
        title: `First bid${group}`,
        detail: `${orderBids.length} ${orderBids.length === 1 ? "bid" : "bids"} received; first from ${firstBid.provider.name}`,
        orderId: order.id,
      });
    } else if (active && order.state === "open") {
      steps.push({
        kind: "bids",
        at: null,
        title: `Waiting for bids${group}`,
        detail: "Providers that can serve this order are bidding",
        orderId: order.id,
      });
    }
    if (lease) {
      steps.push({
        kind: "lease",
        at: lease.createdAt,
        title: `Lease${group}`,
        detail: `With ${lease.provider.name} (${lease.provider.region})`,
        orderId: order.id,
      });
      if (lease.manifestDeliveredAt) {
        steps.push({
          kind: "manifest",
          at: lease.manifestDeliveredAt,
          title: `Manifest delivered${group}`,
          detail: `${lease.provider.name} fetched the manifest`,
          orderId: order.id,
        });
      } else if (lease.state !== "closed") {
        steps.push({
          kind: "manifest",
          at: null,
          title: `Manifest delivery${group}`,
          detail: "Waiting for the provider to fetch the manifest",
          orderId: order.id,
        });
      }
      if (lease.state === "closed" && lease.closedAt && active) {
        steps.push({
          kind: "closed",
          at: lease.closedAt,
          title: `Lease closed${group}`,
          detail: lease.closeReason ? `Closed by ${CLOSED_BY[lease.closeReason]}` : "Closed",
          orderId: order.id,
        });
      }
      const runningSince = lease.workload?.firstVerifiedAt ?? null;
      if (runningSince) {
        steps.push({
          kind: "running",
          at: runningSince,
          title: `Running${group}`,
          detail: "Verified: the provider's heartbeat and the marketplace's probes are good",
          orderId: order.id,
        });
      } else if (lease.state !== "closed") {
        steps.push({
          kind: "running",
          at: null,
          title: `Running${group}`,
          detail: RUNNING_PENDING[lease.workload?.status ?? "pending"],
          orderId: order.id,
        });
      }
    } else if (active && order.state === "open") {
      steps.push({
        kind: "lease",
        at: null,
        title: `Lease${group}`,
        detail: "Accept a bid to start a lease",
        orderId: order.id,
      });
    }
  }
  const closedAt = deployment.closedAt;
  if (closedAt) {
    steps.push({
      kind: "closed",
      at: closedAt,
      title: "Closed",
      detail: "Orders and leases closed",
      orderId: null,
    });
  }
  const happened = steps.filter((step) => step.at !== null).sort((a, b) => a.at!.getTime() - b.at!.getTime());
  const upcoming = steps.filter((step) => step.at === null);
  return [...happened, ...upcoming];
}
