import { env } from "@/lib/env";

const EVENT_STREAM_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  // no-transform and x-accel-buffering: a proxy that compresses or buffers would hold events back.
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
  "x-accel-buffering": "no",
};

/** An open Server-Sent-Events stream, as a route's `start` sees it. */
export interface EventStream {
  /** Sends one event; `id` is what the client sends back as Last-Event-ID. Does nothing once ended. */
  send(event: string, data: unknown, id?: string | bigint): void;
  /**
   * Ends the stream, once. With a reason it first sends `event: closed` (data {reason}), which tells the
   * client not to reconnect; without one the client reconnects by itself and resumes from Last-Event-ID.
   */
  end(reason?: string): void;
  /** True once the stream has ended: the client left, the caller lost access, or end() was called. */
  stopped(): boolean;
  /** Runs `cleanup` when the stream ends, however it ends; at once if it already has. */
  onCleanup(cleanup: () => void): void;
}

/**
 * A text/event-stream response: a `: connected` comment and the client's reconnect delay, then whatever
 * `start` sends, then a keepalive comment every EVENTS_KEEPALIVE_SECONDS. If `start` throws, the stream
 * ends without a reason, so the client reconnects and resumes.
 */
export function eventStreamResponse(options: {
  request: Request;
  stillAuthorized: () => Promise<boolean>;
  start: (stream: EventStream) => void | Promise<void>;
}): Response {
  const { request, stillAuthorized, start } = options;
  const encoder = new TextEncoder();
  let stopped = false;
  const cleanups: Array<() => void> = [];
  const runCleanups = () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  };

  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const write = (text: string) => {
        if (stopped) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          end();
        }
      };
      const end = (reason?: string) => {
        if (stopped) return;
        if (reason !== undefined) write(`event: closed\ndata: ${JSON.stringify({ reason })}\n\n`);
        stopped = true;
        runCleanups();
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      const stream: EventStream = {
        send: (event, data, id) =>
          write(`${id === undefined ? "" : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
        end,
        stopped: () => stopped,
        onCleanup: (cleanup) => {
          if (stopped) cleanup();
          else cleanups.push(cleanup);
        },
      };

      // Registered before any await: a client that leaves while `start` reads or replays must not leak
      // a listener or a timer.
      request.signal.addEventListener("abort", () => end());
      if (request.signal.aborted) {
        end();
        return;
      }
      write(": connected\nretry: 2000\n\n");
      try {
        await start(stream);
      } catch {
        end();
        return;
      }
      if (stopped) return;
      // A revoked key or a suspended account must not keep listening: re-check on every keepalive.
      const keepalive = setInterval(() => {
        void stillAuthorized().then((authorized) => {
          if (authorized) write(": keepalive\n\n");
          else end("unauthorized");
        });
      }, env().EVENTS_KEEPALIVE_SECONDS * 1000);
      stream.onCleanup(() => clearInterval(keepalive));
    },
    cancel() {
      stopped = true;
      runCleanups();
    },
  });
  return new Response(body, { status: 200, headers: EVENT_STREAM_HEADERS });
}
