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
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T, headers: response.headers };
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
          resolve({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : null) as T, headers: responseHeaders });
        });
      });
      // The server may answer and close before it has read everything we send.
      req.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code !== "EPIPE" && error.code !== "ECONNRESET") reject(error);
      });
      req.end(options.rawBody);
    });
  }

  async function signUp(roles: ("tenant" | "provider")[] = ["tenant"], email?: string) {
    const response = await call("POST", "/accounts", {
      body: { email: email ?? `${roles.join("-")}-${randomUUID()}@example.test`, password: "correct horse battery", roles },
    });
    if (response.status !== 201) throw new Error(`sign-up failed: ${response.status} ${JSON.stringify(response.body)}`);
    return { key: response.body.apiKey as string, account: response.body.account as { id: string; email: string } };
  }

  async function provider(
    overrides: { region?: string; attributes?: Record<string, string>; inventory?: Partial<InventoryInput>[] } = {},
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

  return { call, callOnFreshConnection, signUp, provider };
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
