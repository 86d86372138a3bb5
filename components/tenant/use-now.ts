"use client";

import { useEffect, useState } from "react";

/**
 * The current time, ticking every `intervalMs`. It starts at `initial` (the time the server
 * rendered the page), so the first client render matches the server's HTML.
 */
export function useNow(initial: number, intervalMs = 1000): number {
  const [now, setNow] = useState(initial);
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
