"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { LiveIndicator } from "@/components/live/live-indicator";
import { useDebouncedRefresh } from "@/components/live/use-debounced-refresh";
import { useMarketEvents } from "@/components/live/use-market-events";

/** Several lease events often come together (status and services change in one report): one refresh for them. */
const REFRESH_DEBOUNCE_MS = 250;

function leaseIdOf(data: unknown): unknown {
  return typeof data === "object" && data !== null ? (data as Record<string, unknown>).id : undefined;
}

/**
 * Keeps a server-rendered verification view current without flicker (router.refresh keeps
 * client state such as the log viewer's): on lease events for `leaseId` (any lease when left
 * out), on a reconnect, and, while `pollEveryMs` is set and the tab is visible, on a timer —
 * verified time and heartbeats move on every check without a lease event.
 */
export function VerificationRefresh({
  leaseId,
  pollEveryMs,
}: {
  leaseId?: string;
  pollEveryMs: number | null;
}) {
  const router = useRouter();
  const refreshSoon = useDebouncedRefresh(REFRESH_DEBOUNCE_MS);
  const connectedBefore = useRef(false);

  useEffect(() => {
    if (pollEveryMs === null) return;
    const interval = setInterval(() => {
      if (document.visibilityState === "visible") router.refresh();
    }, pollEveryMs);
    return () => clearInterval(interval);
  }, [pollEveryMs, router]);

  const status = useMarketEvents(
    (type, data) => {
      if (type.startsWith("lease.") && (leaseId === undefined || leaseIdOf(data) === leaseId)) refreshSoon();
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
