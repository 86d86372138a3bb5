import { z } from "zod";
import { env } from "@/lib/env";
import { followMarketEvents } from "@/lib/market/follow-market-events";
import { defineRoute } from "../_lib/route";

const MAX_EVENT_ID = 2n ** 63n - 1n;

/** A Last-Event-ID we can resume from: digits within the range of the id column. */
function parseEventId(value: string | null): bigint | null {
  if (!value || !/^\d{1,19}$/.test(value)) return null;
  const id = BigInt(value);
  return id <= MAX_EVENT_ID ? id : null;
}

export const eventRoutes = [
  defineRoute({
    method: "GET",
    path: "/events",
    operationId: "streamEvents",
    summary:
      "Server-Sent Events of the caller's order, bid and lease changes (event: order.created, order.updated, bid.created, bid.updated, lease.created, lease.updated; data: the resource). Providers also get order.created for every new order their free inventory can serve. Send Last-Event-ID to resume. The stream ends with event: closed when the key is revoked or the account suspended.",
    tag: "events",
    auth: "apiKey",
    query: z.strictObject({
      after: z
        .string()
        .regex(/^\d{1,19}$/)
        .optional(),
    }),
    success: { status: 200, description: "text/event-stream" },
    errors: [401, 403],
    handler: async ({ principal, query, request, stillAuthorized }) => {
      const lastEventId = request.headers.get("last-event-id") ?? query.after ?? null;
      const afterId = parseEventId(lastEventId);
      const encoder = new TextEncoder();
      let stopped = false;
      let cleanup = () => {};
      const stream = new ReadableStream<Uint8Array>({
        async start(controller) {
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
            try {
              controller.enqueue(encoder.encode(text));
            } catch {
              end();
            }
          };
          // Registered before any await: a client that leaves during the replay must not leak a listener.
          request.signal.addEventListener("abort", end);
          write(": connected\nretry: 2000\n\n");
          let unsubscribe: () => void;
          try {
            unsubscribe = await followMarketEvents(principal, { afterId }, (event) => {
              write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.payload)}\n\n`);
            });
          } catch {
            end();
            return;
          }
          if (stopped || request.signal.aborted) {
            unsubscribe();
            end();
            return;
          }
          // A revoked key or a suspended account must not keep listening: re-check on every keepalive.
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
            clearInterval(keepalive);
            unsubscribe();
          };
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
