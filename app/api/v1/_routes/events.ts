import { z } from "zod";
import { followMarketEvents } from "@/lib/market/follow-market-events";
import { eventStreamResponse } from "../_lib/event-stream-response";
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
      return eventStreamResponse({
        request,
        stillAuthorized,
        start: async (stream) => {
          const unsubscribe = await followMarketEvents(principal, { afterId }, (event) =>
            stream.send(event.type, event.payload, event.id),
          );
          stream.onCleanup(unsubscribe);
        },
      });
    },
  }),
];
