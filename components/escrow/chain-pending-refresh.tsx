"use client";

import { Spinner } from "@/components/deployment/spinner";
import { useRefreshWhile } from "./use-refresh-while";

const REFRESH_EVERY_MS = 1_500;
/** A transaction still unconfirmed after this long is stuck: stop asking, say so. */
const GIVE_UP_AFTER_MS = 3 * 60_000;

/** While chain transactions are on their way: keeps the page current and says what it waits for. */
export function ChainPendingRefresh({ pending, label }: { pending: boolean; label: string }) {
  const gaveUp = useRefreshWhile(pending, REFRESH_EVERY_MS, GIVE_UP_AFTER_MS);
  if (!pending) return null;
  return (
    <span
      role="status"
      className="inline-flex items-center gap-1.5 rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-600"
    >
      {gaveUp ? (
        "Still waiting for the chain — reload to check"
      ) : (
        <>
          <Spinner className="h-3 w-3" />
          {label}
        </>
      )}
    </span>
  );
}
