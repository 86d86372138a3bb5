"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

/**
 * Chain writes confirm a block or two after they are queued and no market event reports
 * them, so while `active` the page re-renders from the server every `everyMs`. Returns true
 * once it has given up (after `giveUpAfterMs`), so the caller can say to reload later.
 */
export function useRefreshWhile(active: boolean, everyMs: number, giveUpAfterMs: number): boolean {
  const router = useRouter();
  const [gaveUp, setGaveUp] = useState(false);

  useEffect(() => {
    if (!active) return;
    const started = Date.now();
    const timer = setInterval(() => {
      if (Date.now() - started <= giveUpAfterMs) {
        router.refresh();
        return;
      }
      clearInterval(timer);
      setGaveUp(true);
    }, everyMs);
    return () => {
      clearInterval(timer);
      setGaveUp(false);
    };
  }, [active, everyMs, giveUpAfterMs, router]);

  return active && gaveUp;
}
