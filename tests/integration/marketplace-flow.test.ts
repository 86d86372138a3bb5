import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, orderInput } from "../support/api-client";
import { startApiServer } from "../support/api-server";

let server: Awaited<ReturnType<typeof startApiServer>>;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  server = await startApiServer();
  api = apiClient(server.baseUrl);
});
afterAll(async () => server.close());

describe("the marketplace flow through the REST API", () => {
  it("takes an order from post to bid to lease to close, freeing the inventory", async () => {
    const tenant = await api.signUp(["tenant"]);
    const host = await api.provider({
      inventory: [{ gpu: { vendor: "nvidia", model: "h100", memoryGiB: 80, interface: "sxm", count: 2 } }],
    });

    const posted = await api.call("POST", "/orders", {
      key: tenant.key,
      body: orderInput({ maxPricePerHour: "2.500000" }),
    });
    expect(posted.status).toBe(201);
    const orderId = posted.body.order.id as string;
    expect(posted.body.order).toMatchObject({ state: "open", maxPricePerHour: "2.500000" });

    const market = await api.call("GET", "/orders?state=open", { key: host.key });
    expect(market.status).toBe(200);
    expect(market.body.orders.map((order: { id: string }) => order.id)).toContain(orderId);

    const bid = await api.call("POST", `/orders/${orderId}/bids`, {
      key: host.key,
      body: { pricePerHour: "2.100000" },
    });
    expect(bid.status).toBe(201);
    expect(bid.body.bid).toMatchObject({ state: "open", pricePerHour: "2.100000", orderId });

    const bids = await api.call("GET", `/orders/${orderId}/bids`, { key: tenant.key });
    expect(bids.body.bids).toHaveLength(1);

    const accepted = await api.call("POST", `/bids/${bid.body.bid.id}/accept`, { key: tenant.key });
    expect(accepted.status).toBe(201);
    expect(accepted.body.lease).toMatchObject({
      state: "active",
      orderId,
      bidId: bid.body.bid.id,
      pricePerHour: "2.100000",
    });

    const inventoryDuring = await api.call("GET", "/provider/inventory", { key: host.key });
    expect(inventoryDuring.body.inventory[0].allocated.gpu).toBe(1);

    for (const key of [tenant.key, host.key]) {
      const leases = await api.call("GET", "/leases", { key });
      expect(leases.body.leases.map((lease: { id: string }) => lease.id)).toContain(accepted.body.lease.id);
    }

    const closed = await api.call("POST", `/leases/${accepted.body.lease.id}/close`, { key: tenant.key });
    expect(closed.status).toBe(200);
    expect(closed.body.lease).toMatchObject({ state: "closed", closeReason: "owner" });

    const order = await api.call("GET", `/orders/${orderId}`, { key: tenant.key });
    expect(order.body.order.state).toBe("closed");
    const inventoryAfter = await api.call("GET", "/provider/inventory", { key: host.key });
    expect(inventoryAfter.body.inventory[0].allocated.gpu).toBe(0);
  });
});

describe("order and bid lifetimes", () => {
  it("gives an order its own lifetime, and bids never outlive their order", async () => {
    const tenant = await api.signUp(["tenant"]);
    const host = await api.provider();
    const before = Date.now();
    const posted = await api.call("POST", "/orders", {
      key: tenant.key,
      body: orderInput({ expiresInSeconds: 120 }),
    });
    expect(posted.status).toBe(201);
    const expiresAt = Date.parse(posted.body.order.expiresAt as string);
    expect(expiresAt - before).toBeGreaterThanOrEqual(119_000);
    expect(expiresAt - before).toBeLessThanOrEqual(125_000);

    const bid = await api.call("POST", `/orders/${posted.body.order.id}/bids`, {
      key: host.key,
      body: { pricePerHour: "1.000000" },
    });
    expect(bid.status).toBe(201);
    expect(Date.parse(bid.body.bid.expiresAt as string)).toBeLessThanOrEqual(expiresAt);
  });

  it("refuses a lifetime under a minute, naming the field", async () => {
    const tenant = await api.signUp(["tenant"]);
    const posted = await api.call("POST", "/orders", {
      key: tenant.key,
      body: orderInput({ expiresInSeconds: 5 }),
    });
    expect(posted.status).toBe(422);
    expect(posted.body.error.fields).toContainEqual(expect.objectContaining({ path: "expiresInSeconds" }));
  });
});
