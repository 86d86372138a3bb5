import { TimeAgo } from "@/components/deployment/time-ago";
import type { LeaseEventView as LeaseEventItem } from "@/lib/verify/verification-queries";

export type { LeaseEventView as LeaseEventItem } from "@/lib/verify/verification-queries";

const SOURCE_STYLES: Record<string, string> = {
  provider: "bg-slate-100 text-slate-700 ring-slate-300",
  verifier: "bg-brand-50 text-brand-700 ring-brand-600/20",
};

/**
 * What happened to the workload, newest first: events the provider's agent reported (image
 * pulled, service started) and the verifier's own findings, told apart by a tag; warnings
 * are highlighted.
 */
export function LeaseEventsList({ events, now }: { events: LeaseEventItem[]; now: Date }) {
  if (events.length === 0) {
    return (
      <p className="text-sm text-slate-500">
        No events yet. The provider&apos;s agent reports them with its heartbeats, and the verifier adds what
        its checks find.
      </p>
    );
  }
  return (
    <ol className="max-h-[28rem] space-y-2 overflow-y-auto" aria-label="Events, newest first">
      {events.map((event) => {
        const warning = event.type === "warning";
        return (
          <li
            key={event.id}
            data-testid="lease-event"
            className={`rounded-lg px-3 py-2 text-sm ring-1 ring-inset ${
              warning ? "bg-amber-50 ring-amber-200" : "bg-white ring-slate-200"
            }`}
          >
            <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
              <span
                className={`rounded px-1.5 py-0.5 text-[11px] font-semibold uppercase tracking-wide ring-1 ring-inset ${
                  SOURCE_STYLES[event.source] ?? SOURCE_STYLES.provider
                }`}
              >
                {event.source === "verifier" ? "Verifier" : "Provider"}
              </span>
              {warning && (
                <span className="text-xs font-semibold text-amber-800">
                  <span aria-hidden>⚠ </span>Warning
                </span>
              )}
              <span className="font-semibold break-all text-slate-900">{event.reason}</span>
              {event.service && <span className="font-mono text-xs text-slate-500">{event.service}</span>}
              <span className="ml-auto text-xs text-slate-500">
                <TimeAgo date={event.at} now={now} />
              </span>
            </div>
            {event.message && (
              <p className={`mt-1 [overflow-wrap:anywhere] ${warning ? "text-amber-900" : "text-slate-600"}`}>
                {event.message}
              </p>
            )}
          </li>
        );
      })}
    </ol>
  );
}
