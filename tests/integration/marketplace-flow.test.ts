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
