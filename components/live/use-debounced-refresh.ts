"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";

/**
 * A `refreshSoon()` that re-renders the page's server components once after a burst of calls
 * (events often come several at a time: an accept sends order, bid and lease events).
 */
export function useDebouncedRefresh(delayMs: number): () => void {
  const router = useRouter();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  return () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      router.refresh();
    }, delayMs);
  };
}
