"use client";

import { useRef } from "react";
import { LiveIndicator } from "@/components/live/live-indicator";
import { useDebouncedRefresh } from "@/components/live/use-debounced-refresh";
import { useMarketEvents } from "@/components/live/use-market-events";

const REFRESH_DEBOUNCE_MS = 250;

/**
 * Keeps a server-rendered dashboard current: any order, bid or lease event re-renders the
 * page's server components (a burst of events costs one refresh). A reconnect refreshes too,
 * covering what changed while the stream was down.
 */
export function ProviderLiveRefresh() {
  const refreshSoon = useDebouncedRefresh(REFRESH_DEBOUNCE_MS);
  const connectedBefore = useRef(false);

  const status = useMarketEvents(
    (type) => {
      if (type.startsWith("order.") || type.startsWith("bid.") || type.startsWith("lease.")) refreshSoon();
    },
    {
      onOpen: () => {
        if (connectedBefore.current) refreshSoon();
        connectedBefore.current = true;
      },
    },
  );
  return <LiveIndicator status={status} />;
}
