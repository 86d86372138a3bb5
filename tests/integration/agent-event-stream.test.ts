import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  EventStreamClosedError,
  openEventStream,
  type EventStream,
  type StreamedEvent,
} from "@/agent/event-stream";
import { createLog, type LogEntry } from "@/agent/log";
import { apiClient, orderInput } from "../support/api-client";
import { startApiServer } from "../support/api-server";
import { startSseServerDouble } from "../support/sse-server-double";

/**
 * The agent's event stream client: resuming with Last-Event-ID against the real API's /events,
 * and the failure modes (a stream that ends, 5xx, `event: closed`, 401) against a double that
 * fails on cue.
 */
const streamHeaders = { "content-type": "text/event-stream" };
let cleanup: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

function open(
  baseUrl: string,
  options: { apiKey?: string; onFatal?: (error: Error) => void; backoffMs?: [number, number] } = {},
) {
  const events: StreamedEvent[] = [];
  const logged: LogEntry[] = [];
  const connections: Array<{ resumed: boolean; at: number }> = [];
  const stream: EventStream = openEventStream({
    baseUrl,
    apiKey: options.apiKey ?? "bc_test",
    log: createLog((entry) => logged.push(entry)),
    onEvent: (event) => events.push(event),
    onConnected: (resumed) => connections.push({ resumed, at: Date.now() }),
    onFatal: options.onFatal ?? (() => {}),
    minBackoffMs: options.backoffMs?.[0] ?? 20,
    maxBackoffMs: options.backoffMs?.[1] ?? 50,
  });
  cleanup.push(() => stream.stop());
  return { stream, events, connections, logged };
}

async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("openEventStream against the API", () => {
  let server: Awaited<ReturnType<typeof startApiServer>>;
  let api: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    server = await startApiServer();
    api = apiClient(server.baseUrl);
  });

  afterAll(async () => {
    await server?.close();
  });

  it("reconnects after the connection drops and gets what it missed by resuming from the last id", async () => {
    // A GPU model of its own: the provider is offered only this test's orders.
    const model = `h200-${randomBytes(3).toString("hex")}`;
    const provider = await api.provider({
      inventory: [{ gpu: { vendor: "nvidia", model, memoryGiB: 141, interface: "sxm", count: 8 } }],
    });
    const tenant = await api.signUp(["tenant"]);
    const orderBody = orderInput({
      resources: {
        gpu: { units: 1, vendor: "nvidia", model },
        cpuMillicores: 8_000,
        memoryBytes: 64 * 1024 ** 3,
        storageBytes: 200 * 1024 ** 3,
      },
    });
    // A second's backoff leaves room to post an order while the client is away.
    const { stream, events, connections, logged } = open(`${server.baseUrl}/api/v1`, {
      apiKey: provider.key,
      backoffMs: [1_000, 1_000],
    });
    await stream.connected;
    const offered = (orderId: string) =>
      events.filter(
        (event) => event.type === "order.created" && (event.data as { id: string }).id === orderId,
      );

    const before = await api.postOrder(tenant.key, orderBody);
    await until(() => offered(before.id).length === 1, "the first offer");
    server.dropConnections();
    await until(
      () => logged.some((entry) => /^event stream (unavailable|ended)/.test(entry.message)),
      "the client to notice the drop",
    );
    // On a connection of its own: the dropped ones may still sit in fetch's pool.
    const posted = await api.callOnFreshConnection("POST", "/orders", {
      key: tenant.key,
      rawBody: JSON.stringify(orderBody),
    });
    expect(posted.status).toBe(201);
    const missed = posted.body.order as { id: string };
    const postedAt = Date.now();
    await until(() => offered(missed.id).length === 1, "the missed offer, replayed");

    expect(connections.map((connection) => connection.resumed)).toEqual([false, true]);
    // The order was posted before the client was back: only the replay could bring it.
    expect(connections[1]!.at).toBeGreaterThan(postedAt);
    const [first, replayed] = [offered(before.id)[0]!, offered(missed.id)[0]!];
    expect(BigInt(replayed.id!)).toBeGreaterThan(BigInt(first.id!));
    expect(stream.lastEventId).toBe(replayed.id);
    expect(offered(before.id)).toHaveLength(1);
  });
});

describe("openEventStream when the stream fails", () => {
  it("delivers events, reconnects after the stream ends and resumes from the last id", async () => {
    const double = await startSseServerDouble([
      (_, response) => {
        response.writeHead(200, streamHeaders);
        response.write(': connected\n\nid: 41\nevent: order.created\ndata: {"id":"ord_1"}\n\n');
        response.end('id: 42\nevent: bid.created\ndata: {"id":"bid_1"}\n\n');
      },
      (_, response) => {
        response.writeHead(200, streamHeaders);
        response.write('id: 43\nevent: lease.created\ndata: {"id":"lease_1"}\n\n');
      },
    ]);
    cleanup.push(double.close);
    const { stream, events, connections } = open(double.url);
    await until(() => events.length === 3, "three events");
    expect(events.map((event) => [event.id, event.type, event.data])).toEqual([
      ["41", "order.created", { id: "ord_1" }],
      ["42", "bid.created", { id: "bid_1" }],
      ["43", "lease.created", { id: "lease_1" }],
    ]);
    expect(double.requests[0]!.headers.authorization).toBe("Bearer bc_test");
    expect(double.requests[0]!.headers["last-event-id"]).toBeUndefined();
    expect(double.requests[1]!.headers["last-event-id"]).toBe("42");
    expect(connections.map((connection) => connection.resumed)).toEqual([false, true]);
    expect(stream.lastEventId).toBe("43");
  });

  it("retries with backoff while the server refuses with 5xx", async () => {
    const double = await startSseServerDouble([
      (_, response) => response.writeHead(502).end(),
      (_, response) => response.writeHead(503).end(),
      (_, response) => {
        response.writeHead(200, streamHeaders);
        response.write('id: 1\nevent: order.created\ndata: {"id":"ord_9"}\n\n');
      },
    ]);
    cleanup.push(double.close);
    const started = Date.now();
    const { events } = open(double.url);
    await until(() => events.length === 1, "the event after two refusals");
    expect(double.requests).toHaveLength(3);
    // Two waits, 20 ms then 40 ms (a timer may fire a millisecond early).
    expect(Date.now() - started).toBeGreaterThanOrEqual(58);
  });

  it("gives up when the server closes the stream for a revoked key", async () => {
    const double = await startSseServerDouble([
      (_, response) => {
        response.writeHead(200, streamHeaders);
        response.write('event: closed\ndata: {"reason":"unauthorized"}\n\n');
      },
    ]);
    cleanup.push(double.close);
    let fatal: Error | null = null;
    open(double.url, { onFatal: (error) => (fatal = error) });
    await until(() => fatal !== null, "the fatal error");
    expect(fatal).toBeInstanceOf(EventStreamClosedError);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(double.requests).toHaveLength(1);
  });

  it("gives up on 401 with the server's message", async () => {
    const double = await startSseServerDouble([
      (_, response) =>
        response
          .writeHead(401, { "content-type": "application/json" })
          .end(JSON.stringify({ error: { code: "UNAUTHENTICATED", message: "invalid API key" } })),
    ]);
    cleanup.push(double.close);
    let fatal: Error | null = null;
    open(double.url, { onFatal: (error) => (fatal = error) });
    await until(() => fatal !== null, "the fatal error");
    expect(fatal!.message).toContain("invalid API key");
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(double.requests).toHaveLength(1);
  });
});
