import { timeAgo } from "@/lib/format";

/** "2026-11-26 12:03:04 UTC": the exact time, for a hover title next to a relative one. */
export function absoluteTime(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** "3 min ago", with the exact time on hover. */
export function TimeAgo({ date, now }: { date: Date; now: Date }) {
  return (
    <time dateTime={date.toISOString()} title={absoluteTime(date)} className="tabular-nums">
      {timeAgo(date, now)}
    </time>
  );
}
