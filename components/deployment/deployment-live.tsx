"use client";

import { LiveIndicator } from "@/components/live/live-indicator";
import { useDebouncedRefresh } from "@/components/live/use-debounced-refresh";
import { useMarketEvents } from "@/components/live/use-market-events";
import { concernsDeployment } from "./deployment-events";

/** Several events often arrive together (an accept sends order, bid and lease events): one refresh for them. */
const REFRESH_DEBOUNCE_MS = 150;

/**
 * Keeps a deployment's page current: re-renders it from the server whenever the event stream
 * reports a change to the deployment, its orders, bids or leases, and on every (re)connection
 * so nothing that happened while the stream was down is missed. Shows the stream's status.
 */
export function DeploymentLive({ deploymentId, orderIds }: { deploymentId: string; orderIds: string[] }) {
  const refreshSoon = useDebouncedRefresh(REFRESH_DEBOUNCE_MS);
  const ids = new Set(orderIds);

  const status = useMarketEvents(
    (type, data) => {
      if (concernsDeployment(type, data, deploymentId, ids)) refreshSoon();
    },
    { onOpen: refreshSoon },
  );

  return <LiveIndicator status={status} />;
}
