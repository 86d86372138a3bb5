import { randomUUID } from "node:crypto";
import { request as httpRequest } from "node:http";

export interface ApiResponse<T = Record<string, any>> {
  status: number;
  body: T;
  headers: Headers;
}

/** A thin JSON client for the REST API, with factories that have overridable defaults. */
export function apiClient(baseUrl: string) {
  async function call<T = Record<string, any>>(
    method: string,
    path: string,
    options: { key?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers["content-type"] ??= "application/json";
    const response = await fetch(`${baseUrl}/api/v1${path}`, { method, headers, body });
    const text = await response.text();
    return {
      status: response.status,
      body: (text ? JSON.parse(text) : null) as T,
      headers: response.headers,
    };
  }

  /**
   * Sends a request on a connection of its own and closes it after the answer. For bodies the
   * server refuses unread (413): the unread rest would otherwise poison a pooled keep-alive
   * connection for the next request. `chunked` sends no Content-Length, so the server must count.
   */
  function callOnFreshConnection<T = Record<string, any>>(
    method: string,
    path: string,
    options: { key?: string; rawBody: string; chunked?: boolean },
  ): Promise<ApiResponse<T>> {
    const url = new URL(`${baseUrl}/api/v1${path}`);
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    if (!options.chunked) headers["content-length"] = String(Buffer.byteLength(options.rawBody));
    return new Promise((resolve, reject) => {
      const req = httpRequest(url, { method, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          req.destroy();
          const text = Buffer.concat(chunks).toString("utf8");
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (typeof value === "string") responseHeaders.set(name, value);
          }
          resolve({
            status: res.statusCode ?? 0,
            body: (text ? JSON.parse(text) : null) as T,
            headers: responseHeaders,
          });
        });
      });
      // The server may answer and close before it has read everything we send.
      req.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code !== "EPIPE" && error.code !== "ECONNRESET") reject(error);
      });
      req.end(options.rawBody);
    });
  }

  /**
   * Streams a chunked body that never ends on its own: chunk after chunk until the server
   * answers or `maxBytes` are sent. Tells how much was sent before the answer came, which shows
   * whether the server refused early or read everything first.
   */
  function streamUntilAnswered(
    method: string,
    path: string,
    options: { key?: string; chunkBytes?: number; maxBytes: number },
  ): Promise<{ status: number; bytesSent: number; finishedSending: boolean }> {
    const url = new URL(`${baseUrl}/api/v1${path}`);
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    const chunk = Buffer.alloc(options.chunkBytes ?? 64 * 1024, "x");
    return new Promise((resolve, reject) => {
      let bytesSent = 0;
      let answered = false;
      let finishedSending = false;
      const req = httpRequest(url, { method, headers, agent: false }, (res) => {
        answered = true;
        res.resume();
        res.on("end", () => {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, bytesSent, finishedSending });
        });
      });
      req.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code !== "EPIPE" && error.code !== "ECONNRESET") reject(error);
      });
      req.write("{");
      const pump = () => {
        while (!answered && bytesSent < options.maxBytes) {
          bytesSent += chunk.byteLength;
          if (!req.write(chunk)) {
            req.once("drain", pump);
            return;
          }
        }
        if (!answered && !finishedSending) {
          finishedSending = true;
          req.end("}");
        }
      };
      pump();
    });
  }

  async function signUp(roles: ("tenant" | "provider")[] = ["tenant"], email?: string) {
    const response = await call("POST", "/accounts", {
      body: {
        email: email ?? `${roles.join("-")}-${randomUUID()}@example.test`,
        password: "correct horse battery",
        roles,
      },
    });
    if (response.status !== 201)
      throw new Error(`sign-up failed: ${response.status} ${JSON.stringify(response.body)}`);
    return {
      key: response.body.apiKey as string,
      account: response.body.account as { id: string; email: string },
    };
  }

  async function provider(
    overrides: {
      region?: string;
      attributes?: Record<string, string>;
      inventory?: Partial<InventoryInput>[];
    } = {},
  ) {
    const { key, account } = await signUp(["provider"]);
    const profile = await call("PUT", "/provider", {
      key,
      body: {
        name: `Provider ${account.id.slice(-6)}`,
        hostUri: "https://provider.example:8443",
        region: overrides.region ?? "us-west",
        attributes: overrides.attributes ?? {},
      },
    });
    if (profile.status !== 200) throw new Error(`provider profile failed: ${JSON.stringify(profile.body)}`);
    const inventory = [];
    for (const item of overrides.inventory ?? [{}]) {
      const created = await call("POST", "/provider/inventory", { key, body: inventoryInput(item) });
      if (created.status !== 201) throw new Error(`inventory failed: ${JSON.stringify(created.body)}`);
      inventory.push(created.body.inventory);
    }
    return { key, account, provider: profile.body.provider, inventory };
  }

  async function postOrder(key: string, overrides: Record<string, unknown> = {}) {
    const response = await call("POST", "/orders", { key, body: orderInput(overrides) });
    if (response.status !== 201)
      throw new Error(`order failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.order as { id: string; state: string; maxPricePerHour: string };
  }

  async function placeBid(key: string, orderId: string, pricePerHour = "2.000000") {
    const response = await call("POST", `/orders/${orderId}/bids`, { key, body: { pricePerHour } });
    if (response.status !== 201)
      throw new Error(`bid failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.bid as { id: string; state: string; orderId: string; pricePerHour: string };
  }

  async function acceptBid(key: string, bidId: string) {
    const response = await call("POST", `/bids/${bidId}/accept`, { key });
    if (response.status !== 201)
      throw new Error(`accept failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.lease as { id: string; state: string; orderId: string; bidId: string };
  }

  return {
    call,
    callOnFreshConnection,
    streamUntilAnswered,
    signUp,
    provider,
    postOrder,
    placeBid,
    acceptBid,
    openEvents: (key: string, options: { lastEventId?: string } = {}) =>
      openEventStream(baseUrl, key, options),
  };
}

export interface InventoryInput {
  gpu: { vendor: string; model: string; memoryGiB: number; interface: string; count: number };
  cpuMillicores: number;
  memoryBytes: number;
  storageBytes: number;
}

const GiB = 1024 ** 3;

export function inventoryInput(overrides: Partial<InventoryInput> = {}): InventoryInput {
  return {
    gpu: { vendor: "nvidia", model: "h100", memoryGiB: 80, interface: "sxm", count: 8, ...overrides.gpu },
    cpuMillicores: overrides.cpuMillicores ?? 128_000,
    memoryBytes: overrides.memoryBytes ?? 1024 * GiB,
    storageBytes: overrides.storageBytes ?? 10_000 * GiB,
  };
}

export function orderInput(overrides: Record<string, unknown> = {}) {
  return {
    resources: {
      gpu: { units: 1, vendor: "nvidia", model: "h100" },
      cpuMillicores: 8_000,
      memoryBytes: 64 * GiB,
      storageBytes: 200 * GiB,
    },
    count: 1,
    maxPricePerHour: "3.000000",
    ...overrides,
  };
}

/** A small valid Akash SDL: one service with one H100, one placement group "dc" at $3/hour. */
export function sdlInput(): string {
  return `version: "2.0"
services:
  web:
    image: nginx:1.27
    expose:
      - port: 80
        to:
          - global: true
profiles:
  compute:
    web:
      resources:
        cpu:
          units: 4
        memory:
          size: 16Gi
        storage:
          size: 50Gi
        gpu:
          units: 1
          attributes:
            vendor:
              nvidia:
                - model: h100
  placement:
    dc:
      pricing:
        web:
          denom: uact
          amount: 5000
deployment:
  web:
    dc:
      profile: web
      count: 1
`;
}

export interface StreamedEvent {
  id: string | null;
  type: string;
  data: any;
}

/**
 * Reads GET /api/v1/events as Server-Sent Events with fetch and a stream reader. `next`
 * waits for the first event (seen or still to come) that matches, or fails after a timeout.
 */
export async function openEventStream(baseUrl: string, key: string, options: { lastEventId?: string } = {}) {
  const controller = new AbortController();
  const headers: Record<string, string> = { authorization: `Bearer ${key}`, accept: "text/event-stream" };
  if (options.lastEventId) headers["last-event-id"] = options.lastEventId;
  const response = await fetch(`${baseUrl}/api/v1/events`, { headers, signal: controller.signal });
  if (response.status !== 200 || !response.body) {
    throw new Error(`event stream refused: ${response.status} ${await response.text()}`);
  }
  const events: StreamedEvent[] = [];
  const waiters = new Set<() => void>();
  let ended = false;

  function dispatch(block: string) {
    let id: string | null = null;
    let type = "message";
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line === "" || line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "id") id = value;
      else if (field === "event") type = value;
      else if (field === "data") data.push(value);
    }
    if (data.length === 0) return;
    events.push({ id, type, data: JSON.parse(data.join("\n")) });
    for (const wake of waiters) wake();
  }

  const reading = (async () => {
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += value.replace(/\r\n?/g, "\n");
        let end: number;
        while ((end = buffer.indexOf("\n\n")) !== -1) {
          dispatch(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      // aborted by close()
    } finally {
      ended = true;
      for (const wake of waiters) wake();
    }
  })();

  function next(predicate: (event: StreamedEvent) => boolean, timeoutMs = 5_000): Promise<StreamedEvent> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = events.find(predicate);
        if (found) {
          finish();
          resolve(found);
        } else if (ended) {
          finish();
          reject(new Error("the event stream ended before the expected event"));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(
          new Error(
            `no matching event within ${timeoutMs} ms; saw ${events.map((e) => e.type).join(", ") || "none"}`,
          ),
        );
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });
  }

  return {
    events,
    next,
    /** Resolves when the server ends the stream. */
    ended: reading,
    async close() {
      controller.abort();
      await reading;
    },
  };
}
