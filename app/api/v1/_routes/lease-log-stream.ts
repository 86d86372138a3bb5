import { z } from "zod";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { getLeaseFor } from "@/lib/market/market-queries";
import { leaseLogs, type LeaseLogPage } from "@/lib/verify/verification-queries";
import { defineRoute } from "../_lib/route";
import { IdParams } from "./schemas";

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
      after: z
        .string()
        .regex(/^\d{1,19}$/, { message: "must be a cursor returned before" })
        .optional(),
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

      const encoder = new TextEncoder();
      let stopped = false;
      let cleanup = () => {};
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          const end = () => {
            if (stopped) return;
            stopped = true;
            cleanup();
            try {
              controller.close();
            } catch {
              // already closed
            }
          };
          const write = (text: string) => {
            if (stopped) return;
            try {
              controller.enqueue(encoder.encode(text));
            } catch {
              end();
            }
          };
          let cursor: string | null = null;
          const writePage = (page: LeaseLogPage) => {
            for (const line of page.lines) {
              const data = { id: line.id, at: line.at.toISOString(), service: line.service, line: line.line };
              write(`id: ${line.id}\nevent: log\ndata: ${JSON.stringify(data)}\n\n`);
            }
            cursor = page.cursor;
          };
          const readAfterCursor = () =>
            leaseLogs(principal, leaseId, { after: cursor ?? undefined, limit: LOG_PAGE_LINES });

          let pollTimer: ReturnType<typeof setTimeout> | undefined;
          let lastStateCheck = 0;
          const poll = async () => {
            try {
              let sent = 0;
              for (let pages = 0; pages < MAX_PAGES_PER_POLL && !stopped; pages++) {
                const page = await readAfterCursor();
                writePage(page);
                sent += page.lines.length;
                if (page.lines.length < LOG_PAGE_LINES) break;
              }
              if (sent === 0 && !stopped && Date.now() - lastStateCheck >= LEASE_STATE_CHECK_MS) {
                lastStateCheck = Date.now();
                const lease = await getLeaseFor(principal, leaseId);
                if (lease.state === "closed") {
                  // Lines may have come with the heartbeat that preceded the close: send them before ending.
                  const last = await readAfterCursor();
                  writePage(last);
                  if (last.lines.length === 0) {
                    write('event: closed\ndata: {"reason":"lease_closed"}\n\n');
                    end();
                    return;
                  }
                }
              }
            } catch (error) {
              // The client reconnects by itself and resumes from the last line it got (Last-Event-ID).
              logger.warn("lease log stream stopped", { leaseId, error });
              end();
              return;
            }
            if (!stopped) pollTimer = setTimeout(() => void poll(), LOG_POLL_INTERVAL_MS);
          };
          // A revoked key or a suspended account must not keep reading: re-check on every keepalive.
          const keepalive = setInterval(() => {
            void stillAuthorized().then((authorized) => {
              if (authorized) write(": keepalive\n\n");
              else {
                write('event: closed\ndata: {"reason":"unauthorized"}\n\n');
                end();
              }
            });
          }, env().EVENTS_KEEPALIVE_SECONDS * 1000);
          cleanup = () => {
            clearTimeout(pollTimer);
            clearInterval(keepalive);
          };
          request.signal.addEventListener("abort", end);
          if (request.signal.aborted) {
            end();
            return;
          }

          write(": connected\nretry: 2000\n\n");
          writePage(first);
          write(`event: ready\ndata: ${JSON.stringify({ cursor })}\n\n`);
          pollTimer = setTimeout(() => void poll(), LOG_POLL_INTERVAL_MS);
        },
        cancel() {
          stopped = true;
          cleanup();
        },
      });
      return new Response(stream, {
        status: 200,
        headers: {
          "content-type": "text/event-stream; charset=utf-8",
          "cache-control": "no-cache, no-transform",
          connection: "keep-alive",
          "x-accel-buffering": "no",
        },
      });
    },
  }),
];
