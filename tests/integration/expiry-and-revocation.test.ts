import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { principalForAccount } from "@/lib/accounts/authenticate";
import { adminListBids, adminListOrders } from "@/lib/admin/admin-queries";
import { sweepExpired } from "@/lib/market/sweep-expired";
import { apiClient, orderInput } from "../support/api-client";
import { startApiServer } from "../support/api-server";
import { queryRows } from "./market-snapshot";

let server: Awaited<ReturnType<typeof startApiServer>>;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  server = await startApiServer();
  api = apiClient(server.baseUrl);
});
afterAll(async () => server.close());

async function adminPrincipal() {
  const { account } = await api.signUp(["tenant"]);
  await queryRows(`UPDATE account SET roles = '{tenant,admin}' WHERE id = $1`, [account.id]);
  return principalForAccount(account.id);
}

describe("expiry", () => {
  it("reads an order past its expiry as closed at once, and the sweep stores it and tells the bidder", async () => {
    const tenant = await api.signUp(["tenant"]);
    const host = await api.provider();
    const order = (await api.call("POST", "/orders", { key: tenant.key, body: orderInput() })).body.order;
    const bid = (
      await api.call("POST", `/orders/${order.id}/bids`, {
        key: host.key,
        body: { pricePerHour: "2.000000" },
      })
    ).body.bid;
    await queryRows(`UPDATE "order" SET "expiresAt" = now() - interval '1 second' WHERE id = $1`, [order.id]);
    await queryRows(`UPDATE bid SET "expiresAt" = now() - interval '1 second' WHERE id = $1`, [bid.id]);

    const read = await api.call("GET", `/orders/${order.id}`, { key: tenant.key });
    expect(read.body.order.state).toBe("closed");
    const accept = await api.call("POST", `/bids/${bid.id}/accept`, { key: tenant.key });
    expect(accept.status).toBe(409);

    const admin = await adminPrincipal();
    expect((await adminListOrders(admin, { state: "closed" })).map((o) => o.id)).toContain(order.id);
    expect((await adminListOrders(admin, { state: "open" })).map((o) => o.id)).not.toContain(order.id);
    expect((await adminListBids(admin, { state: "closed" })).map((b) => b.id)).toContain(bid.id);

    const stream = await api.openEvents(host.key);
    const swept = await sweepExpired();
    expect(swept.orders).toBeGreaterThanOrEqual(1);
    expect(swept.bids).toBeGreaterThanOrEqual(1);
    const event = await stream.next(
      (e) => e.type === "bid.updated" && (e.data as { id: string }).id === bid.id,
    );
    expect(event.data).toMatchObject({ state: "closed" });
    await stream.close();

    const stored = await queryRows<{ state: string }>(`SELECT state::text FROM "order" WHERE id = $1`, [
      order.id,
    ]);
    expect(stored[0]?.state).toBe("closed");
  });
});

describe("event streams", () => {
  it("end once the caller's API key is revoked", async () => {
    const host = await api.provider();
    const extra = await api.call("POST", "/api-keys", { key: host.key, body: { name: "listener" } });
    expect(extra.status).toBe(201);
    const stream = await api.openEvents(extra.body.key as string);
    const revoked = await api.call("DELETE", `/api-keys/${extra.body.apiKey.id}`, { key: host.key });
    expect(revoked.status).toBe(200);

    const closing = await stream.next((e) => e.type === "closed", 5_000);
    expect(closing.data).toEqual({ reason: "unauthorized" });
    await stream.ended;
  });

  it("end once the account is suspended", async () => {
    const host = await api.provider();
    const stream = await api.openEvents(host.key);
    await queryRows(`UPDATE account SET status = 'suspended' WHERE id = $1`, [host.account.id]);
    const closing = await stream.next((e) => e.type === "closed", 5_000);
    expect(closing.data).toEqual({ reason: "unauthorized" });
    await stream.ended;
  });
});

describe("resuming an event stream", () => {
  it("does not offer a provider an order that closed while it was away", async () => {
    const tenant = await api.signUp(["tenant"]);
    const host = await api.provider();
    const before = await api.openEvents(host.key);
    const first = (await api.call("POST", "/orders", { key: tenant.key, body: orderInput() })).body.order;
    const seen = await before.next(
      (e) => e.type === "order.created" && (e.data as { id: string }).id === first.id,
    );
    await before.close();

    const closedMeanwhile = (await api.call("POST", "/orders", { key: tenant.key, body: orderInput() })).body
      .order;
    await api.call("POST", `/orders/${closedMeanwhile.id}/close`, { key: tenant.key });
    const stillOpen = (await api.call("POST", "/orders", { key: tenant.key, body: orderInput() })).body.order;

    const resumed = await api.openEvents(host.key, { lastEventId: seen.id ?? undefined });
    await resumed.next((e) => e.type === "order.created" && (e.data as { id: string }).id === stillOpen.id);
    expect(
      resumed.events.some(
        (e) => e.type === "order.created" && (e.data as { id: string }).id === closedMeanwhile.id,
      ),
    ).toBe(false);
    await resumed.close();
  });

  it("treats a Last-Event-ID beyond any id as a fresh start, and the stream still works", async () => {
    const tenant = await api.signUp(["tenant"]);
    const host = await api.provider();
    const stream = await api.openEvents(host.key, { lastEventId: "9999999999999999999" });
    const order = (await api.call("POST", "/orders", { key: tenant.key, body: orderInput() })).body.order;
    await stream.next((e) => e.type === "order.created" && (e.data as { id: string }).id === order.id);
    await stream.close();
  });
});
