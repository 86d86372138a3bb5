import {
  formatDuration,
  timeRange,
  uptimeSegments,
  verifiedSummary,
  type UptimeSegment,
  type UptimeSegmentKind,
  type UptimeStretchInput,
} from "./verification-format";

const SEGMENT_COLORS: Record<UptimeSegmentKind, string> = {
  verified: "bg-emerald-500",
  unverified: "bg-red-500",
  unchecked: "bg-slate-300",
};

const KIND_LABELS: Record<UptimeSegmentKind, string> = {
  verified: "Verified",
  unverified: "Not verified",
  unchecked: "Not checked",
};

/** The stretches listed under the bar; a lease that flapped for days keeps the list short. */
const STRETCHES_LISTED = 50;

function describe(segment: UptimeSegment): string {
  const length = formatDuration((segment.endAt.getTime() - segment.startAt.getTime()) / 1000);
  const what =
    segment.kind === "unverified" && segment.reason
      ? `Not verified: ${segment.reason}`
      : KIND_LABELS[segment.kind];
  return `${what} · ${timeRange(segment.startAt, segment.endAt)} (${length})`;
}

/**
 * The lease's verified uptime: a bar from lease open to now (or the close) with verified time
 * green, time the verifier found wrong red (its reason on hover), and time no check covers
 * grey; the same stretches as a list for screen readers and phones; and the share that is paid.
 */
export function UptimeBar({
  uptime,
  openedAt,
  endAt,
  verifiedSeconds,
  elapsedSeconds,
  closed,
}: {
  uptime: UptimeStretchInput[];
  openedAt: Date;
  endAt: Date;
  verifiedSeconds: number;
  elapsedSeconds: number;
  closed: boolean;
}) {
  const segments = uptimeSegments(uptime, openedAt, endAt);
  const listed = segments.slice(-STRETCHES_LISTED).reverse();
  return (
    <div className="space-y-3">
      <p className="text-sm" data-testid="verified-summary">
        <span className="font-semibold text-slate-900">
          {verifiedSummary(verifiedSeconds, elapsedSeconds)}
        </span>
        <span className="text-slate-500"> — only verified time is paid</span>
      </p>
      <div>
        <div
          aria-hidden
          className="relative h-5 w-full overflow-hidden rounded-md bg-slate-100 ring-1 ring-inset ring-slate-200"
        >
          {segments.map((segment) => (
            <div
              key={segment.startAt.getTime()}
              title={describe(segment)}
              className={`absolute inset-y-0 ${SEGMENT_COLORS[segment.kind]} ${segment.kind === "unverified" ? "z-10" : ""}`}
              // Short failures stay visible on a long lease: at least 2 px, drawn over their neighbours.
              style={{ left: `${segment.offsetPercent}%`, width: `${segment.widthPercent}%`, minWidth: 2 }}
            />
          ))}
        </div>
        <div className="mt-1 flex justify-between gap-2 text-xs tabular-nums text-slate-500">
          <span>opened {openedAt.toISOString().slice(11, 16)} UTC</span>
          <span>{closed ? `closed ${endAt.toISOString().slice(11, 16)} UTC` : "now"}</span>
        </div>
      </div>
      <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600" aria-label="Legend">
        <li className="inline-flex items-center gap-1.5">
          <span aria-hidden className="h-2.5 w-2.5 rounded-sm bg-emerald-500" /> verified (paid)
        </li>
        <li className="inline-flex items-center gap-1.5">
          <span aria-hidden className="h-2.5 w-2.5 rounded-sm bg-red-500" /> not verified (back to the tenant)
        </li>
        <li className="inline-flex items-center gap-1.5">
          <span aria-hidden className="h-2.5 w-2.5 rounded-sm bg-slate-300" /> not checked
        </li>
      </ul>
      {segments.length > 0 && (
        <details className="group text-sm">
          <summary className="cursor-pointer text-xs font-semibold text-brand-600 hover:text-brand-700">
            Uptime record · {segments.length} stretch{segments.length === 1 ? "" : "es"}
          </summary>
          <ol className="mt-2 space-y-1" aria-label="Uptime stretches, newest first">
            {listed.map((segment) => (
              <li key={segment.startAt.getTime()} className="flex gap-2 text-xs">
                <span
                  aria-hidden
                  className={`mt-1 h-2 w-2 shrink-0 rounded-sm ${SEGMENT_COLORS[segment.kind]}`}
                />
                <span
                  className={`min-w-0 [overflow-wrap:anywhere] ${segment.kind === "unverified" ? "text-red-700" : "text-slate-700"}`}
                >
                  {describe(segment)}
                </span>
              </li>
            ))}
          </ol>
          {segments.length > listed.length && (
            <p className="mt-1 text-xs text-slate-500">
              and {segments.length - listed.length} earlier stretches
            </p>
          )}
        </details>
      )}
    </div>
  );
}
