import type { Tone } from "@/components/ui/badge";
import type { LeaseCloseReason, LeaseState } from "@/lib/market/types";
import type { LeaseWorkloadStatus } from "@/lib/verify/protocol";

/**
 * How the verification pages say things: durations, the verified share, the uptime bar's
 * segments, the workload's status in words, and the live log buffer. Pure, so tested alone.
 */

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A duration in its two largest units: "45 s", "12 min", "1 h 5 min", "2 d 3 h". Rounds down,
 * so verified (paid) time is never overstated.
 */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < MINUTE) return `${s} s`;
  if (s < HOUR) return `${Math.floor(s / MINUTE)} min`;
  if (s < DAY) return joined(Math.floor(s / HOUR), "h", Math.floor((s % HOUR) / MINUTE), "min");
  return joined(Math.floor(s / DAY), "d", Math.floor((s % DAY) / HOUR), "h");
}

function joined(major: number, majorUnit: string, minor: number, minorUnit: string): string {
  return minor > 0 ? `${major} ${majorUnit} ${minor} ${minorUnit}` : `${major} ${majorUnit}`;
}

/** Verified share of the lease's time, in whole percent rounded down (100 only when all of it was verified). */
export function verifiedPercent(verifiedSeconds: number, elapsedSeconds: number): number {
  if (elapsedSeconds <= 0) return 0;
  return Math.min(100, Math.max(0, Math.floor((verifiedSeconds / elapsedSeconds) * 100)));
}

/** "Verified 12 min of 14 min (85%)". */
export function verifiedSummary(verifiedSeconds: number, elapsedSeconds: number): string {
  return `Verified ${formatDuration(verifiedSeconds)} of ${formatDuration(elapsedSeconds)} (${verifiedPercent(verifiedSeconds, elapsedSeconds)}%)`;
}

export interface UptimeStretchInput {
  startAt: Date;
  endAt: Date;
  verified: boolean;
  reason: string | null;
}

/** "unchecked": time no check covers yet (before the first, since the last, or after the verifier stopped). */
export type UptimeSegmentKind = "verified" | "unverified" | "unchecked";

export interface UptimeSegment {
  kind: UptimeSegmentKind;
  startAt: Date;
  endAt: Date;
  reason: string | null;
  /** Where the segment starts and how wide it is, in percent of the bar. */
  offsetPercent: number;
  widthPercent: number;
}

/**
 * The uptime bar from lease open to `endAt` (now, or the close): the verifier's stretches in
 * time order, clipped to the bar, with the time no check covers filled in as "unchecked".
 */
export function uptimeSegments(
  stretches: UptimeStretchInput[],
  openedAt: Date,
  endAt: Date,
): UptimeSegment[] {
  const start = openedAt.getTime();
  const total = endAt.getTime() - start;
  if (total <= 0) return [];
  const segments: UptimeSegment[] = [];
  const push = (kind: UptimeSegmentKind, from: number, to: number, reason: string | null) => {
    if (to <= from) return;
    segments.push({
      kind,
      startAt: new Date(from),
      endAt: new Date(to),
      reason,
      offsetPercent: percentOf(from - start, total),
      widthPercent: percentOf(to - from, total),
    });
  };
  let cursor = start;
  const ordered = [...stretches].sort((a, b) => a.startAt.getTime() - b.startAt.getTime());
  for (const stretch of ordered) {
    const from = Math.max(stretch.startAt.getTime(), cursor);
    const to = Math.min(stretch.endAt.getTime(), endAt.getTime());
    if (to <= from) continue;
    push("unchecked", cursor, from, "not checked");
    push(stretch.verified ? "verified" : "unverified", from, to, stretch.verified ? null : stretch.reason);
    cursor = to;
  }
  push("unchecked", cursor, endAt.getTime(), "not checked");
  return segments;
}

/** Percent to a thousandth: enough for a bar, and free of float noise such as 55.00000000000001. */
function percentOf(part: number, whole: number): number {
  return Math.round((part / whole) * 100_000) / 1000;
}

export interface WorkloadStatusView {
  label: string;
  tone: Tone;
}

/** The last check's outcome: the latest uptime stretch. Null before the first check. */
export interface LastCheck {
  verified: boolean;
  reason: string | null;
}

const REASON_CHARS_SHOWN = 80;

function closeLabel(reason: LeaseCloseReason | null, viewer: "tenant" | "provider"): string {
  switch (reason) {
    case "owner":
      return viewer === "tenant" ? "Closed by you" : "Closed by the tenant";
    case "provider":
      return viewer === "provider" ? "Closed by you" : "Closed by the provider";
    case "unstable":
      return "Closed: the workload was unstable";
    case "manifest_timeout":
      return "Closed: it never started running (manifest timeout)";
    case "insufficient_funds":
      return "Closed: escrow ran out";
    case "admin":
      return "Closed by an administrator";
    default:
      return "Closed";
  }
}

/**
 * A lease's workload in plain words and a tone: "Running — verified", "Deploying", "Provider
 * refused the manifest", "Not verified: no heartbeat for 20 s", or how it closed. Without
 * `lastCheck` (lists that do not load the uptime record) a running workload is just "Running".
 */
export function workloadStatusView(input: {
  status: LeaseWorkloadStatus;
  leaseState: LeaseState;
  closeReason: LeaseCloseReason | null;
  viewer: "tenant" | "provider";
  lastCheck?: LastCheck | null;
}): WorkloadStatusView {
  const { status, lastCheck } = input;
  if (input.leaseState === "closed") {
    const bad = ["unstable", "manifest_timeout", "insufficient_funds"].includes(input.closeReason ?? "");
    return { label: closeLabel(input.closeReason, input.viewer), tone: bad ? "red" : "gray" };
  }
  switch (status) {
    case "pending":
      return { label: "Waiting for the provider's agent", tone: "gray" };
    case "deploying":
      return { label: "Deploying", tone: "blue" };
    case "manifest_rejected":
      return { label: "Provider refused the manifest", tone: "red" };
    case "failed":
      return { label: "Workload failed", tone: "red" };
    case "running":
    case "degraded": {
      const word = status === "running" ? "Running" : "Degraded";
      if (lastCheck === undefined) return { label: word, tone: status === "running" ? "green" : "amber" };
      if (lastCheck === null) return { label: `${word} — not verified yet`, tone: "blue" };
      if (lastCheck.verified)
        return { label: `${word} — verified`, tone: status === "running" ? "green" : "amber" };
      return { label: `Not verified: ${shortened(lastCheck.reason ?? "check failed")}`, tone: "amber" };
    }
  }
}

function shortened(text: string): string {
  return text.length <= REASON_CHARS_SHOWN ? text : `${text.slice(0, REASON_CHARS_SHOWN - 1)}…`;
}

export interface LogLineView {
  /** The line's cursor: a decimal id that grows with every line of the lease. */
  id: string;
  at: string;
  service: string;
  line: string;
}

/**
 * Appends streamed lines to the buffer: drops any the buffer already holds (a reconnect may
 * resend), keeps id order, and keeps only the newest `max` lines.
 */
export function appendLogLines(buffer: LogLineView[], incoming: LogLineView[], max: number): LogLineView[] {
  const last = buffer.at(-1);
  let newest = last ? BigInt(last.id) : -1n;
  const fresh: LogLineView[] = [];
  for (const line of incoming) {
    const id = BigInt(line.id);
    if (id <= newest) continue;
    fresh.push(line);
    newest = id;
  }
  if (fresh.length === 0) return buffer;
  const merged = buffer.concat(fresh);
  return merged.length > max ? merged.slice(merged.length - max) : merged;
}

/** "12:03:04": a log line's time of day in UTC, as the exact times elsewhere are shown. */
export function logTime(iso: string): string {
  return iso.slice(11, 19);
}

/**
 * A stretch of time in UTC, as the exact times elsewhere are shown: "12:03:04–12:15:10 UTC"
 * within one day, with the dates when it crosses midnight.
 */
export function timeRange(start: Date, end: Date): string {
  const [startDay, startTime] = start.toISOString().slice(0, 19).split("T") as [string, string];
  const [endDay, endTime] = end.toISOString().slice(0, 19).split("T") as [string, string];
  if (startDay === endDay) return `${startTime}–${endTime} UTC`;
  return `${startDay} ${startTime} – ${endDay} ${endTime} UTC`;
}
