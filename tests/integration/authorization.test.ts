import { grantConfiguredAdmins } from "@/lib/accounts/grant-configured-admins";
import { generatePrivateKey } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticateApiKey } from "@/lib/accounts/authenticate";
import { setAccountStatus } from "@/lib/admin/set-account-status";
import type { Principal } from "@/lib/auth/principal";
import { isAppError } from "@/lib/errors";
import { apiClient, inventoryInput, sdlInput } from "../support/api-client";
import { startApiServer } from "../support/api-server";
import { useTestChain } from "../support/chain";
import { signedHeartbeat } from "../support/heartbeats";
import { closeSnapshotPool, marketSnapshot, queryRows } from "./market-snapshot";

/**
 * Who may call what. Every route is called by everyone who must not succeed: nobody, a key
 * that is no key, another tenant, another provider, a tenant acting as a provider (and a
 * provider acting as a tenant), and a suspended account. Each such call is denied and
 * leaves every account's market state exactly as it was.
 */

let server: Awaited<ReturnType<typeof startApiServer>>;
let api: ReturnType<typeof apiClient>;

interface Party {
  key: string;
  accountId: string;
}

interface World {
  admin: Principal;
  tenant: Party;
  otherTenant: Party;
  provider: Party;
  otherProvider: Party;
  suspended: Party;
  tenantKeyId: string;
  providerInventoryId: string;
  /** Open, with bids from provider, otherProvider and the (since suspended) account. */
  openOrderId: string;
  providerBidId: string;
  /** Active: provider's bid was accepted into `leaseId`; otherProvider never bid on it. */
  leasedOrderId: string;
  leaseId: string;
  /** The suspended account's own order, with a bid from provider. */
  suspendedOrderId: string;
  suspendedOrderBidId: string;
  /** The suspended account's bid on the tenant's open order. */
  suspendedBidId: string;
  /** The tenant's deployment; provider won its order's lease, otherProvider never bid. */
  deploymentId: string;
  /** A well-formed heartbeat for `leaseId` (signed by a key nobody registered). */
  heartbeat: unknown;
}
let world: World;

const ADMIN_EMAIL = "root@admin.test";

async function party(roles: ("tenant" | "provider")[], email?: string): Promise<Party> {
  const { key, account } = await api.signUp(roles, email);
  return { key, accountId: account.id };
}

async function registerProvider(key: string): Promise<string> {
  const profile = await api.call("PUT", "/provider", {
    key,
    body: { name: "Dual", hostUri: "https://dual.example", region: "us-west", attributes: {} },
  });
  expect(profile.status).toBe(200);
  const inventory = await api.call("POST", "/provider/inventory", { key, body: inventoryInput() });
  expect(inventory.status).toBe(201);
  return inventory.body.inventory.id as string;
}

let testChain: Awaited<ReturnType<typeof useTestChain>>;

beforeAll(async () => {
  // A real chain, so the escrow routes get past "no chain" to their own checks.
  testChain = await useTestChain();
  server = await startApiServer();
  api = apiClient(server.baseUrl);

  const adminParty = await party(["tenant"], ADMIN_EMAIL);
  // ADMIN_EMAILS names an existing account; a server grants the role when it starts.
  await grantConfiguredAdmins();
  const admin = await authenticateApiKey(adminParty.key);
  const tenant = await party(["tenant"]);
  const otherTenant = await party(["tenant"]);
  const providerHost = await api.provider();
  const otherProviderHost = await api.provider();
  const provider = { key: providerHost.key, accountId: providerHost.account.id };
  const otherProvider = { key: otherProviderHost.key, accountId: otherProviderHost.account.id };
  const suspended = await party(["tenant", "provider"]);
  await registerProvider(suspended.key);

  const openOrder = await api.postOrder(tenant.key);
  const providerBid = await api.placeBid(provider.key, openOrder.id, "2.000000");
  await api.placeBid(otherProvider.key, openOrder.id, "2.100000");
  const suspendedBid = await api.placeBid(suspended.key, openOrder.id, "2.200000");

  const leasedOrder = await api.postOrder(tenant.key);
  const leasedBid = await api.placeBid(provider.key, leasedOrder.id, "1.900000");
  const lease = await api.acceptBid(tenant.key, leasedBid.id);

  const deployment = await api.call("POST", "/deployments", { key: tenant.key, body: { sdl: sdlInput() } });
  expect(deployment.status).toBe(201);
  const deploymentBid = await api.placeBid(provider.key, deployment.body.orders[0].id, "2.000000");
  await api.acceptBid(tenant.key, deploymentBid.id);

  const suspendedOrder = await api.postOrder(suspended.key);
  const suspendedOrderBid = await api.placeBid(provider.key, suspendedOrder.id, "2.000000");

  const keys = await api.call("GET", "/api-keys", { key: tenant.key });
  await setAccountStatus(admin, suspended.accountId, "suspended");

  world = {
    admin,
    tenant,
    otherTenant,
    provider,
    otherProvider,
    suspended,
    tenantKeyId: keys.body.apiKeys[0].id,
    providerInventoryId: providerHost.inventory[0].id,
    openOrderId: openOrder.id,
    providerBidId: providerBid.id,
    leasedOrderId: leasedOrder.id,
    leaseId: lease.id,
    suspendedOrderId: suspendedOrder.id,
    suspendedOrderBidId: suspendedOrderBid.id,
    suspendedBidId: suspendedBid.id,
    deploymentId: deployment.body.deployment.id,
    heartbeat: await signedHeartbeat(generatePrivateKey(), lease.id, { sequence: 1 }),
  };
});
afterAll(async () => {
  await closeSnapshotPool();
  await server.close();
  await testChain.restore();
});

function everyone(): string[] {
  return [
    world.admin.accountId,
    world.tenant.accountId,
    world.otherTenant.accountId,
    world.provider.accountId,
    world.otherProvider.accountId,
    world.suspended.accountId,
  ];
}

// ------------------------------------------------------------------ the matrix

type Actor =
  | "anonymous"
  | "unknown key"
  | "wrong scheme"
  | "other tenant"
  | "other provider"
  | "tenant acting as provider"
  | "provider acting as tenant"
  | "the bidding provider"
  | "suspended account";

function headersFor(actor: Actor): { key?: string; headers?: Record<string, string> } {
  switch (actor) {
    case "anonymous":
      return {};
    case "unknown key":
      return { key: `bc_${"A".repeat(43)}` };
    case "wrong scheme":
      return { headers: { authorization: `Basic ${Buffer.from("tenant:password").toString("base64")}` } };
    case "other tenant":
      return { key: world.otherTenant.key };
    case "other provider":
    case "provider acting as tenant":
      return { key: world.otherProvider.key };
    case "tenant acting as provider":
      return { key: world.tenant.key };
    case "the bidding provider":
      return { key: world.provider.key };
    case "suspended account":
      return { key: world.suspended.key };
  }
}

interface RouteCall {
  route: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: (w: World) => string;
  body?: (w: World) => unknown;
  /** Denials beyond the ones every route gets (no key, unknown key, wrong scheme: 401; suspended: 403). */
  denied: Partial<Record<Actor, 401 | 403 | 404>>;
}

const profileBody = () => ({
  name: "Intruder",
  hostUri: "https://intruder.example",
  region: "us-west",
  attributes: {},
});

const routeCalls: RouteCall[] = [
  { route: "GET /me", method: "GET", path: () => "/me", denied: {} },
  { route: "GET /api-keys", method: "GET", path: () => "/api-keys", denied: {} },
  {
    route: "POST /api-keys",
    method: "POST",
    path: () => "/api-keys",
    body: () => ({ name: "intruder" }),
    denied: {},
  },
  {
    route: "DELETE /api-keys/{id}",
    method: "DELETE",
    path: (w) => `/api-keys/${w.tenantKeyId}`,
    denied: { "other tenant": 404, "other provider": 404 },
  },
  {
    route: "PUT /provider",
    method: "PUT",
    path: () => "/provider",
    body: profileBody,
    denied: { "tenant acting as provider": 403 },
  },
  {
    route: "GET /provider",
    method: "GET",
    path: () => "/provider",
    denied: { "tenant acting as provider": 403 },
  },
  {
    route: "POST /provider/inventory",
    method: "POST",
    path: () => "/provider/inventory",
    body: () => inventoryInput(),
    denied: { "tenant acting as provider": 403 },
  },
  {
    route: "GET /provider/inventory",
    method: "GET",
    path: () => "/provider/inventory",
    denied: { "tenant acting as provider": 403 },
  },
  {
    route: "DELETE /provider/inventory/{id}",
    method: "DELETE",
    path: (w) => `/provider/inventory/${w.providerInventoryId}`,
    denied: { "other tenant": 403, "tenant acting as provider": 403, "other provider": 404 },
  },
  {
    route: "GET /provider/bids",
    method: "GET",
    path: () => "/provider/bids",
    denied: { "tenant acting as provider": 403 },
  },
  {
    route: "POST /orders",
    method: "POST",
    path: () => "/orders",
    body: () => ({
      resources: { gpu: { units: 1 }, cpuMillicores: 1000, memoryBytes: 1024 ** 3, storageBytes: 1024 ** 3 },
      maxPricePerHour: "1.000000",
    }),
    denied: { "provider acting as tenant": 403 },
  },
  { route: "GET /orders", method: "GET", path: () => "/orders", denied: {} },
  {
    route: "GET /orders?view=market",
    method: "GET",
    path: () => "/orders?view=market",
    denied: { "tenant acting as provider": 403 },
  },
  {
    route: "GET /orders/{id}",
    method: "GET",
    path: (w) => `/orders/${w.leasedOrderId}`,
    denied: { "other tenant": 403, "other provider": 403 },
  },
  {
    route: "POST /orders/{id}/close",
    method: "POST",
    path: (w) => `/orders/${w.openOrderId}/close`,
    denied: { "other tenant": 403, "other provider": 403, "the bidding provider": 403 },
  },
  {
    route: "POST /orders/{id}/bids",
    method: "POST",
    path: (w) => `/orders/${w.openOrderId}/bids`,
    body: () => ({ pricePerHour: "1.000000" }),
    denied: { "other tenant": 403, "tenant acting as provider": 403 },
  },
  {
    route: "GET /orders/{id}/bids",
    method: "GET",
    path: (w) => `/orders/${w.openOrderId}/bids`,
    denied: { "other tenant": 403 },
  },
  {
    route: "POST /bids/{id}/close",
    method: "POST",
    path: (w) => `/bids/${w.providerBidId}/close`,
    denied: { "other tenant": 403, "other provider": 403, "tenant acting as provider": 403 },
  },
  {
    route: "POST /bids/{id}/accept",
    method: "POST",
    path: (w) => `/bids/${w.providerBidId}/accept`,
    denied: { "other tenant": 403, "provider acting as tenant": 403, "the bidding provider": 403 },
  },
  { route: "GET /leases", method: "GET", path: () => "/leases", denied: {} },
  {
    route: "GET /leases/{id}",
    method: "GET",
    path: (w) => `/leases/${w.leaseId}`,
    denied: { "other tenant": 403, "other provider": 403 },
  },
  {
    route: "POST /leases/{id}/close",
    method: "POST",
    path: (w) => `/leases/${w.leaseId}/close`,
    denied: { "other tenant": 403, "other provider": 403 },
  },
  {
    route: "PUT /provider/signing-key",
    method: "PUT",
    path: () => "/provider/signing-key",
    body: () => ({ address: `0x${"11".repeat(20)}`, signature: `0x${"22".repeat(65)}` }),
    denied: { "tenant acting as provider": 403 },
  },
  {
    route: "POST /leases/{id}/heartbeats",
    method: "POST",
    path: (w) => `/leases/${w.leaseId}/heartbeats`,
    body: (w) => w.heartbeat,
    denied: { "other tenant": 403, "other provider": 403, "tenant acting as provider": 403 },
  },
  {
    route: "GET /leases/{id}/verification",
    method: "GET",
    path: (w) => `/leases/${w.leaseId}/verification`,
    denied: { "other tenant": 404, "other provider": 404 },
  },
  {
    route: "GET /leases/{id}/logs",
    method: "GET",
    path: (w) => `/leases/${w.leaseId}/logs`,
    denied: { "other tenant": 404, "other provider": 404 },
  },
  {
    route: "GET /leases/{id}/logs/stream",
    method: "GET",
    path: (w) => `/leases/${w.leaseId}/logs/stream`,
    denied: { "other tenant": 404, "other provider": 404 },
  },
  {
    route: "GET /provider/verification",
    method: "GET",
    path: () => "/provider/verification",
    denied: { "tenant acting as provider": 403 },
  },
  {
    route: "POST /deployments",
    method: "POST",
    path: () => "/deployments",
    body: () => ({ sdl: sdlInput() }),
    denied: { "provider acting as tenant": 403 },
  },
  { route: "GET /deployments", method: "GET", path: () => "/deployments", denied: {} },
  {
    route: "GET /deployments/{id}",
    method: "GET",
    path: (w) => `/deployments/${w.deploymentId}`,
    denied: { "other tenant": 403, "other provider": 403, "the bidding provider": 403 },
  },
  {
    route: "POST /deployments/{id}/close",
    method: "POST",
    path: (w) => `/deployments/${w.deploymentId}/close`,
    denied: { "other tenant": 403, "other provider": 403, "the bidding provider": 403 },
  },
  {
    route: "GET /deployments/{id}/manifest",
    method: "GET",
    path: (w) => `/deployments/${w.deploymentId}/manifest`,
    denied: { "other tenant": 403, "other provider": 403 },
  },
  {
    route: "POST /sdl/check",
    method: "POST",
    path: () => "/sdl/check",
    body: () => ({ sdl: sdlInput() }),
    denied: {},
  },
  { route: "GET /events", method: "GET", path: () => "/events", denied: {} },
  { route: "GET /wallet", method: "GET", path: () => "/wallet", denied: {} },
  { route: "POST /wallet/faucet", method: "POST", path: () => "/wallet/faucet", denied: {} },
  {
    route: "POST /deployments/{id}/deposits",
    method: "POST",
    path: (w) => `/deployments/${w.deploymentId}/deposits`,
    body: () => ({ amount: "1" }),
    denied: { "other tenant": 404, "other provider": 403, "the bidding provider": 403 },
  },
  {
    route: "GET /deployments/{id}/escrow",
    method: "GET",
    path: (w) => `/deployments/${w.deploymentId}/escrow`,
    denied: { "other tenant": 404, "other provider": 404, "the bidding provider": 404 },
  },
  {
    route: "PUT /deployments/{id}/escrow/auto-top-up",
    method: "PUT",
    path: (w) => `/deployments/${w.deploymentId}/escrow/auto-top-up`,
    body: () => ({ enabled: true, amount: "5", belowSeconds: 3600 }),
    denied: { "other tenant": 404, "other provider": 404, "the bidding provider": 404 },
  },
  {
    route: "GET /provider/earnings",
    method: "GET",
    path: () => "/provider/earnings",
    denied: { "tenant acting as provider": 403 },
  },
  {
    route: "POST /provider/withdrawals",
    method: "POST",
    path: () => "/provider/withdrawals",
    body: () => ({}),
    denied: { "tenant acting as provider": 403 },
  },
  {
    route: "GET /admin/reconciliation",
    method: "GET",
    path: () => "/admin/reconciliation",
    denied: { "other tenant": 403, "other provider": 403, "the bidding provider": 403 },
  },
  {
    route: "POST /admin/chain-txs/{id}/retry",
    method: "POST",
    path: (w) => `/admin/chain-txs/${w.deploymentId}/retry`,
    denied: { "other tenant": 403, "other provider": 403, "the bidding provider": 403 },
  },
];

const matrix = routeCalls.flatMap((call) => {
  const denied: Partial<Record<Actor, number>> = {
    anonymous: 401,
    "unknown key": 401,
    "wrong scheme": 401,
    "suspended account": 403,
    ...call.denied,
  };
  return Object.entries(denied).map(([actor, status]) => ({ call, actor: actor as Actor, status }));
});

describe("the authorization matrix", () => {
  it.each(matrix.map((entry) => [entry.call.route, entry.actor, entry.status, entry] as const))(
    "%s as %s is denied with %i and changes nothing",
    async (_route, actor, status, { call }) => {
      const before = await marketSnapshot(everyone());
      const response = await api.call(call.method, call.path(world), {
        ...headersFor(actor),
        body: call.body?.(world),
      });

      expect(response.status).toBe(status);
      expect(response.body.error.code).toBe(
        { 401: "UNAUTHENTICATED", 403: "FORBIDDEN", 404: "NOT_FOUND" }[status],
      );
      if (status === 401) expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(await marketSnapshot(everyone())).toEqual(before);
    },
  );

  it("covers every route of the route table that needs a key", async () => {
    const { apiRoutes } = await import("@/app/api/v1/_routes");
    const keyed = apiRoutes
      .filter((route) => route.auth === "apiKey")
      .map((route) => `${route.method} ${route.path}`);
    const covered = new Set(routeCalls.map((call) => call.route.replace(/\?.*$/, "")));

    expect(keyed.filter((route) => !covered.has(route))).toEqual([]);
  });
});

describe("what callers see of others' resources", () => {
  it("another tenant's order list and lease list leave out the tenant's orders and leases", async () => {
    const orders = await api.call("GET", "/orders", { key: world.otherTenant.key });
    const leases = await api.call("GET", "/leases", { key: world.otherTenant.key });

    expect(orders.status).toBe(200);
    expect(orders.body.orders.map((order: { id: string }) => order.id)).not.toContain(world.openOrderId);
    expect(leases.body.leases.map((lease: { id: string }) => lease.id)).not.toContain(world.leaseId);
  });

  it("another provider sees only its own bid on an order, and not the lease it did not win", async () => {
    const bids = await api.call("GET", `/orders/${world.openOrderId}/bids`, { key: world.otherProvider.key });
    const leases = await api.call("GET", "/leases", { key: world.otherProvider.key });
    const own = await api.call("GET", "/provider/bids", { key: world.otherProvider.key });

    expect(bids.status).toBe(200);
    expect(bids.body.bids).toHaveLength(1);
    expect(bids.body.bids[0].id).not.toBe(world.providerBidId);
    expect(bids.body.bids[0].providerId).toBe(own.body.bids[0].providerId);
    expect(leases.body.leases.map((lease: { id: string }) => lease.id)).not.toContain(world.leaseId);
  });

  it("the order's tenant sees every bid, including other providers'", async () => {
    const bids = await api.call("GET", `/orders/${world.openOrderId}/bids`, { key: world.tenant.key });

    expect(bids.body.bids.map((bid: { id: string }) => bid.id)).toContain(world.providerBidId);
    expect(bids.body.bids.length).toBeGreaterThanOrEqual(3);
  });

  it("a provider cannot bid on an order its own account posted", async () => {
    const dual = await party(["tenant", "provider"]);
    await registerProvider(dual.key);
    const order = await api.postOrder(dual.key);
    const before = await marketSnapshot([dual.accountId]);

    const response = await api.call("POST", `/orders/${order.id}/bids`, {
      key: dual.key,
      body: { pricePerHour: "1.000000" },
    });

    expect(response.status).toBe(403);
    expect(await marketSnapshot([dual.accountId])).toEqual(before);
  });
});

describe("API keys", () => {
  it("a revoked key gets 401 while the account's other keys keep working", async () => {
    const owner = await party(["tenant"]);
    const created = await api.call("POST", "/api-keys", { key: owner.key, body: { name: "laptop" } });
    expect(created.status).toBe(201);
    const extraKey = created.body.key as string;
    expect((await api.call("GET", "/me", { key: extraKey })).status).toBe(200);

    const revoked = await api.call("DELETE", `/api-keys/${created.body.apiKey.id}`, { key: owner.key });
    expect(revoked.status).toBe(200);

    const before = await marketSnapshot([owner.accountId]);
    for (const attempt of [
      api.call("GET", "/me", { key: extraKey }),
      api.call("GET", "/orders", { key: extraKey }),
      api.call("POST", "/orders", { key: extraKey, body: { resources: {}, maxPricePerHour: "1" } }),
      api.call("POST", "/api-keys", { key: extraKey, body: { name: "again" } }),
    ]) {
      const response = await attempt;
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe("UNAUTHENTICATED");
    }
    expect(await marketSnapshot([owner.accountId])).toEqual(before);
    expect((await api.call("GET", "/me", { key: owner.key })).status).toBe(200);
    const listed = await api.call("GET", "/api-keys", { key: owner.key });
    expect(listed.body.apiKeys.find((k: { id: string }) => k.id === created.body.apiKey.id)).toMatchObject({
      state: "revoked",
    });
  });

  it("a key cannot be revoked twice", async () => {
    const owner = await party(["tenant"]);
    const created = await api.call("POST", "/api-keys", { key: owner.key, body: { name: "once" } });

    expect((await api.call("DELETE", `/api-keys/${created.body.apiKey.id}`, { key: owner.key })).status).toBe(
      200,
    );
    expect((await api.call("DELETE", `/api-keys/${created.body.apiKey.id}`, { key: owner.key })).status).toBe(
      404,
    );
  });
});

describe("suspension", () => {
  it("closed the suspended account's open order and the bids on it", async () => {
    const order = await api.call("GET", `/orders/${world.suspendedOrderId}`, { key: world.provider.key });
    const bids = await api.call("GET", `/orders/${world.suspendedOrderId}/bids`, { key: world.provider.key });

    expect(order.body.order.state).toBe("closed");
    expect(bids.body.bids).toEqual([
      expect.objectContaining({ id: world.suspendedOrderBidId, state: "closed" }),
    ]);
  });

  it("closed the suspended account's open bids and left other providers' bids open", async () => {
    const bids = await api.call("GET", `/orders/${world.openOrderId}/bids`, { key: world.tenant.key });
    const stateOf = (id: string) => bids.body.bids.find((bid: { id: string }) => bid.id === id)?.state;

    expect(stateOf(world.suspendedBidId)).toBe("closed");
    expect(stateOf(world.providerBidId)).toBe("open");
  });

  it("leaves nothing of the suspended account to bid on or accept", async () => {
    const bidOnClosed = await api.call("POST", `/orders/${world.suspendedOrderId}/bids`, {
      key: world.otherProvider.key,
      body: { pricePerHour: "1.000000" },
    });
    const acceptClosed = await api.call("POST", `/bids/${world.suspendedBidId}/accept`, {
      key: world.tenant.key,
    });

    expect(bidOnClosed.status).toBe(409);
    expect(acceptClosed.status).toBe(409);
  });

  it("takes effect on keys at once and is lifted by reinstating", async () => {
    const account = await party(["tenant"]);
    const order = await api.postOrder(account.key);
    expect((await api.call("GET", "/me", { key: account.key })).status).toBe(200);

    await setAccountStatus(world.admin, account.accountId, "suspended");
    const denied = await api.call("GET", "/me", { key: account.key });
    await setAccountStatus(world.admin, account.accountId, "active");
    const allowed = await api.call("GET", "/me", { key: account.key });
    const afterwards = await api.call("GET", `/orders/${order.id}`, { key: account.key });

    expect(denied.status).toBe(403);
    expect(allowed.status).toBe(200);
    expect(allowed.body.account.state).toBe("active");
    expect(afterwards.body.order.state).toBe("closed");
  });

  it("only an admin can suspend, and not themselves", async () => {
    const target = await party(["tenant"]);
    const tenant = await authenticateApiKey(world.tenant.key);

    const byTenant = await setAccountStatus(tenant, target.accountId, "suspended").catch(
      (error: unknown) => error,
    );
    const bySelf = await setAccountStatus(world.admin, world.admin.accountId, "suspended").catch(
      (error: unknown) => error,
    );

    expect(isAppError(byTenant) && byTenant.code).toBe("FORBIDDEN");
    expect(isAppError(bySelf) && bySelf.code).toBe("CONFLICT");
    const rows = await queryRows<{ status: string }>("SELECT status FROM account WHERE id = ANY($1)", [
      [target.accountId, world.admin.accountId],
    ]);
    expect(rows.map((row) => row.status)).toEqual(["active", "active"]);
  });
});
