import { z } from "zod";
import type { InventoryItem } from "@/lib/market/types";
import { formatUsd } from "@/lib/money";
import type { HeartbeatRequest, SigningKeyRequest } from "@/lib/verify/protocol";
import {
  BidWireSchema,
  InventoryWireSchema,
  LeaseWireSchema,
  ManifestResponseSchema,
  OrderWireSchema,
  ProviderWireSchema,
  inventoryItemOf,
  type AgentBid,
  type AgentLease,
  type AgentOrder,
  type AgentProvider,
  type ManifestResponse,
} from "./market-wire";

/**
 * The marketplace REST API as the agent uses it, with the provider's API key. Every answer is
 * checked against the shape the agent reads; a refusal becomes an ApiError carrying the
 * server's own message (error bodies are {"error":{"code","message","fields"}}).
 */
export interface ApiClient {
  readonly baseUrl: string;
  getProvider(): Promise<AgentProvider>;
  registerSigningKey(request: SigningKeyRequest): Promise<void>;
  /** The open orders the provider's free inventory can serve (the server filters). */
  listMarketOrders(): Promise<AgentOrder[]>;
  getOrder(id: string): Promise<AgentOrder>;
  placeBid(orderId: string, pricePerHour: bigint): Promise<AgentBid>;
  listOwnBids(): Promise<AgentBid[]>;
  closeBid(id: string): Promise<AgentBid>;
  listInventory(): Promise<InventoryItem[]>;
  listLeases(state: AgentLease["state"]): Promise<AgentLease[]>;
  getLease(id: string): Promise<AgentLease>;
  getManifest(deploymentId: string): Promise<ManifestResponse>;
  postHeartbeat(leaseId: string, request: HeartbeatRequest): Promise<void>;
}

/** A field the server named in a refusal ("heartbeat.sequence", "must be above 42"). */
export interface ApiFieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    message: string,
    /** HTTP status; 0 when no answer arrived. */
    readonly status: number,
    readonly code: string | null = null,
    readonly fields: readonly ApiFieldError[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

const REQUEST_TIMEOUT_MS = 15_000;
/** The API's page size limit. */
const PAGE_MAX = 200;

const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

export interface ApiClientOptions {
  baseUrl: string;
  apiKey: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const authorization = `Bearer ${options.apiKey}`;

  async function request<T>(
    method: string,
    path: string,
    schema: z.ZodType<T>,
    init: { body?: unknown; expect?: number } = {},
  ): Promise<T> {
    const label = `${method} ${path}`;
    let response: Response;
    let text: string;
    try {
      response = await doFetch(`${baseUrl}${path}`, {
        method,
        headers: {
          authorization,
          accept: "application/json",
          ...(init.body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw new ApiError(`${label}: no answer (${networkReasonOf(error)})`, 0);
    }
    const json = parseJson(text);
    if (!response.ok || (init.expect !== undefined && response.status !== init.expect)) {
      const body = ErrorBodySchema.safeParse(json);
      if (body.success) {
        const fields = body.data.error.fields ?? [];
        const named = fields.map((field) => `${field.path} ${field.message}`);
        const detail = named.length > 0 ? ` [${named.slice(0, 3).join("; ")}]` : "";
        throw new ApiError(
          `${label}: ${body.data.error.message}${detail} (HTTP ${response.status})`,
          response.status,
          body.data.error.code,
          fields,
        );
      }
      throw new ApiError(
        `${label}: HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ""}`,
        response.status,
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ApiError(
        `${label}: unexpected answer (${issue ? `${issue.path.join(".") || "body"}: ${issue.message}` : "bad shape"})`,
        response.status,
      );
    }
    return parsed.data;
  }
  const id = (value: string) => encodeURIComponent(value);

  return {
    baseUrl,
    getProvider: async () =>
      (await request("GET", "/provider", z.object({ provider: ProviderWireSchema }))).provider,
    registerSigningKey: async (body) => {
      await request("PUT", "/provider/signing-key", z.unknown(), { body });
    },
    listMarketOrders: async () =>
      (
        await request(
          "GET",
          `/orders?view=market&state=open&limit=${PAGE_MAX}`,
          z.object({ orders: z.array(OrderWireSchema) }),
        )
      ).orders,
    getOrder: async (orderId) =>
      (await request("GET", `/orders/${id(orderId)}`, z.object({ order: OrderWireSchema }))).order,
    placeBid: async (orderId, pricePerHour) =>
      (
        await request("POST", `/orders/${id(orderId)}/bids`, z.object({ bid: BidWireSchema }), {
          body: { pricePerHour: formatUsd(pricePerHour) },
        })
      ).bid,
    listOwnBids: async () =>
      (await request("GET", `/provider/bids?limit=${PAGE_MAX}`, z.object({ bids: z.array(BidWireSchema) })))
        .bids,
    closeBid: async (bidId) =>
      (await request("POST", `/bids/${id(bidId)}/close`, z.object({ bid: BidWireSchema }))).bid,
    listInventory: async () =>
      (
        await request("GET", "/provider/inventory", z.object({ inventory: z.array(InventoryWireSchema) }))
      ).inventory.map(inventoryItemOf),
    listLeases: async (state) =>
      (
        await request(
          "GET",
          `/leases?state=${state}&limit=${PAGE_MAX}`,
          z.object({ leases: z.array(LeaseWireSchema) }),
        )
      ).leases,
    getLease: async (leaseId) =>
      (await request("GET", `/leases/${id(leaseId)}`, z.object({ lease: LeaseWireSchema }))).lease,
    getManifest: async (deploymentId) =>
      request("GET", `/deployments/${id(deploymentId)}/manifest`, ManifestResponseSchema),
    postHeartbeat: async (leaseId, body) => {
      await request("POST", `/leases/${id(leaseId)}/heartbeats`, z.unknown(), { body, expect: 202 });
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** fetch (undici) wraps a network failure in a TypeError whose cause carries the system error code. */
export function networkReasonOf(error: unknown): string {
  if (error instanceof Error && error.name === "TimeoutError") return "timed out";
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (typeof cause?.code === "string") return cause.code;
  if (typeof cause?.message === "string") return cause.message;
  return error instanceof Error ? error.message : String(error);
}
