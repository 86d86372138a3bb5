import type { LiveStatus } from "./use-market-events";

const LABELS: Record<LiveStatus, string> = {
  connecting: "Connecting…",
  live: "Live",
  offline: "Offline — reload to reconnect",
};

const DOTS: Record<LiveStatus, string> = {
  connecting: "bg-amber-400",
  live: "bg-emerald-500 animate-pulse",
  offline: "bg-slate-400",
};

/** A small status pill for a list that updates from the live event stream. */
export function LiveIndicator({ status }: { status: LiveStatus }) {
  return (
    <span
      role="status"
      aria-live="polite"
      className="inline-flex items-center gap-1.5 rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-600"
    >
      <span aria-hidden className={`h-1.5 w-1.5 rounded-full ${DOTS[status]}`} />
      {LABELS[status]}
    </span>
  );
}
