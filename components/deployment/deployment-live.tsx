"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { LiveIndicator } from "@/components/live/live-indicator";
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
  const router = useRouter();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const ids = new Set(orderIds);

  function refreshSoon() {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      router.refresh();
    }, REFRESH_DEBOUNCE_MS);
  }

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const status = useMarketEvents(
    (type, data) => {
      if (concernsDeployment(type, data, deploymentId, ids)) refreshSoon();
    },
    { onOpen: refreshSoon },
  );

  return <LiveIndicator status={status} />;
}
