import { z } from "zod";
import { logger } from "@/lib/logger";
import { getLeaseFor } from "@/lib/market/market-queries";
import { leaseLogs, type LeaseLogPage } from "@/lib/verify/verification-queries";
import { eventStreamResponse } from "../_lib/event-stream-response";
import { defineRoute } from "../_lib/route";
import { IdParams, LogCursor } from "./schemas";

const LOG_POLL_INTERVAL_MS = 1_000;
const LOG_PAGE_LINES = 500;
/** A client resuming far behind catches up a few pages per poll, so one stream cannot hog the database. */
const MAX_PAGES_PER_POLL = 4;
/** Whether the lease has closed is asked only while no lines arrive, and at most this often. */
const LEASE_STATE_CHECK_MS = 5_000;
const MAX_CURSOR = 2n ** 63n - 1n;

/** A Last-Event-ID we can resume from: a log line id (digits within the range of the id column). */
function parseCursor(value: string | null): string | null {
  if (!value || !/^\d{1,19}$/.test(value)) return null;
  return BigInt(value) <= MAX_CURSOR ? value : null;
}

export const leaseLogStreamRoutes = [
  defineRoute({
    method: "GET",
    path: "/leases/{id}/logs/stream",
    operationId: "streamLeaseLogs",
    summary:
      "Server-Sent Events of the workload's log lines as its provider's agent reports them: first the newest `tail` lines (or the lines after `after` / Last-Event-ID), then `event: ready`, then each new line as it arrives (`id:` the line's cursor, `event: log`, `data:` {id, at, service, line}). Send Last-Event-ID (or `after`) to resume. The stream ends with `event: closed` (data {reason: lease_closed | unauthorized}) once the lease is closed and every line is sent, or when the key is revoked; do not reconnect after it.",
    tag: "verification",
    auth: "apiKey",
    params: IdParams,
    query: z.strictObject({
      after: LogCursor,
      tail: z.coerce.number().int().min(1).max(1000).default(200),
    }),
    success: { status: 200, description: "text/event-stream" },
    errors: [400, 401, 404],
    handler: async ({ principal, params, query, request, stillAuthorized }) => {
      const leaseId = params.id;
      const resumeAfter = parseCursor(request.headers.get("last-event-id")) ?? query.after ?? null;
      // Read before the response starts: an unknown lease, or someone else's, is a 404 and not an empty stream.
      const first = await leaseLogs(principal, leaseId, {
        after: resumeAfter ?? undefined,
        limit: resumeAfter === null ? query.tail : LOG_PAGE_LINES,
      });

      return eventStreamResponse({
        request,
        stillAuthorized,
        start: (stream) => {
          let cursor: string | null = null;
          const sendPage = (page: LeaseLogPage) => {
            for (const line of page.lines) {
              const data = { id: line.id, at: line.at.toISOString(), service: line.service, line: line.line };
              stream.send("log", data, line.id);
            }
            cursor = page.cursor;
          };
          const readAfterCursor = () =>
            leaseLogs(principal, leaseId, { after: cursor ?? undefined, limit: LOG_PAGE_LINES });

          let pollTimer: ReturnType<typeof setTimeout> | undefined;
          stream.onCleanup(() => clearTimeout(pollTimer));
          const schedulePoll = () => {
            if (!stream.stopped()) pollTimer = setTimeout(() => void poll(), LOG_POLL_INTERVAL_MS);
          };
          let lastStateCheck = 0;
          const poll = async () => {
            try {
              let sent = 0;
              for (let pages = 0; pages < MAX_PAGES_PER_POLL && !stream.stopped(); pages++) {
                const page = await readAfterCursor();
                sendPage(page);
                sent += page.lines.length;
                if (page.lines.length < LOG_PAGE_LINES) break;
              }
              if (sent === 0 && !stream.stopped() && Date.now() - lastStateCheck >= LEASE_STATE_CHECK_MS) {
                lastStateCheck = Date.now();
                const lease = await getLeaseFor(principal, leaseId);
                if (lease.state === "closed") {
                  // Lines may have come with the heartbeat that preceded the close: send them before ending.
                  const last = await readAfterCursor();
                  sendPage(last);
                  if (last.lines.length === 0) {
                    stream.end("lease_closed");
                    return;
                  }
                }
              }
            } catch (error) {
              // The client reconnects by itself and resumes from the last line it got (Last-Event-ID).
              logger.warn("lease log stream stopped", { leaseId, error });
              stream.end();
              return;
            }
            schedulePoll();
          };

          sendPage(first);
          stream.send("ready", { cursor });
          schedulePoll();
        },
      });
    },
  }),
];
