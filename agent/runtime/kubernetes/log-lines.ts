import { MAX_LOG_LINE_CHARS, type LogLine } from "@/lib/verify/protocol";

/** A point in a container's log: the time of the last line taken, in nanoseconds since the epoch. */
export type LogCursor = bigint;

const TIMESTAMPED = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2}) (.*)$/;

/**
 * The lines of a log read with `timestamps=true` that come after `cursor`, and the new cursor.
 * The kubelet prefixes each line with an RFC 3339 time to the nanosecond; comparing those keeps
 * lines from being taken twice when overlapping tails are read (the log API's `sinceTime` has only
 * second precision, and this client does not offer it). Lines without a time are skipped.
 */
export function linesAfter(
  text: string,
  cursor: LogCursor | undefined,
  service: string,
): { lines: LogLine[]; cursor: LogCursor | undefined } {
  const lines: LogLine[] = [];
  let last = cursor;
  for (const raw of text.split("\n")) {
    const match = TIMESTAMPED.exec(raw.replace(/\r$/, ""));
    if (!match) continue;
    const [, seconds = "", fraction = "", zone = "", line = ""] = match;
    const epochMs = Date.parse(`${seconds}${zone}`);
    if (Number.isNaN(epochMs)) continue;
    const time = BigInt(epochMs) * 1_000_000n + BigInt(fraction.padEnd(9, "0"));
    if (cursor !== undefined && time <= cursor) continue;
    if (last === undefined || time > last) last = time;
    lines.push({
      at: new Date(Number(time / 1_000_000n)).toISOString(),
      service,
      line: line.slice(0, MAX_LOG_LINE_CHARS),
    });
  }
  return { lines, cursor: last };
}
