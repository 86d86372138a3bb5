"use client";

import { useEffect, useState } from "react";

export type CopyState = "idle" | "copied" | "failed";

/**
 * Copies text to the clipboard and tells how it went; with `resetAfterMs` the state goes back
 * to "idle" after that long, for buttons that say "Copied" for a moment.
 */
export function useCopy(text: string, resetAfterMs?: number): [CopyState, () => Promise<void>] {
  const [state, setState] = useState<CopyState>("idle");

  useEffect(() => {
    if (state === "idle" || resetAfterMs === undefined) return;
    const timer = setTimeout(() => setState("idle"), resetAfterMs);
    return () => clearTimeout(timer);
  }, [state, resetAfterMs]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      setState("failed");
    }
  }
  return [state, copy];
}
