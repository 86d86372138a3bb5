import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, type ApiResponse } from "../support/api-client";
import { startApiServer } from "../support/api-server";

/**
 * Racing requests on the same orders: accepts, bid closes, order closes and lease closes
 * fired all at once. Whatever order the database serializes them in, each order ends with
 * one lease or none, every successful accept is that lease, every loser gets 409, and the
 * providers' allocated inventory is exactly what their active leases hold.
 */

let server: Awaited<ReturnType<typeof startApiServer>>;
let api: ReturnType<typeof apiClient>;

const ORDERS = 10;
const PROVIDERS = 5;
const GiB = 1024 ** 3;
/** Enough GPUs that no provider runs out even if it wins every order: contention is on the orders. */
const GPUS_PER_PROVIDER = 32;
const ORDER_RESOURCES = {
  gpu: { units: 1, vendor: "nvidia", model: "h100" },
  cpuMillicores: 2_000,
  memoryBytes: 8 * GiB,
  storageBytes: 50 * GiB,
};

interface Host {
  key: string;
  providerId: string;
}

interface Race {
  orderId: string;
  bidIds: string[];
}

let tenantKey: string;
let hosts: Host[];

beforeAll(async () => {
  server = await startApiServer();
  api = apiClient(server.baseUrl);
  tenantKey = (await api.signUp(["tenant"])).key;
  hosts = await Promise.all(
    Array.from({ length: PROVIDERS }, async () => {
      const host = await api.provider({
        inventory: [
          {
            gpu: {
              vendor: "nvidia",
              model: "h100",
              memoryGiB: 80,
              interface: "sxm",
              count: GPUS_PER_PROVIDER,
            },
          },
        ],
      });
      return { key: host.key, providerId: host.provider.id as string };
    }),
  );
});
afterAll(async () => server.close());

/** Posts `count` orders and has every provider bid on each. */
async function ordersWithBids(count: number): Promise<Race[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const order = await api.postOrder(tenantKey, {
        resources: ORDER_RESOURCES,
        maxPricePerHour: "5.000000",
      });
      const bids = await Promise.all(hosts.map((host, i) => api.placeBid(host.key, order.id, `2.${i}00000`)));
      return { orderId: order.id, bidIds: bids.map((bid) => bid.id) };
    }),
  );
}

type Kind = "accept" | "bid close" | "order close" | "lease close";

interface Shot {
  kind: Kind;
  orderId: string;
  bidId?: string;
  response: ApiResponse;
}

/** Fires every request at once, in a shuffled order, and collects the answers. */
async function fire(
  requests: { kind: Kind; orderId: string; bidId?: string; send: () => Promise<ApiResponse> }[],
): Promise<Shot[]> {
  const shuffled = [...requests].sort(() => Math.random() - 0.5);
  return Promise.all(shuffled.map(async ({ send, ...shot }) => ({ ...shot, response: await send() })));
}

function acceptRequests(races: Race[], perBid: number) {
  return races.flatMap(({ orderId, bidIds }) =>
    bidIds.flatMap((bidId) =>
      Array.from({ length: perBid }, () => ({
        kind: "accept" as const,
        orderId,
        bidId,
        send: () => api.call("POST", `/bids/${bidId}/accept`, { key: tenantKey }),
      })),
    ),
  );
}

function bidCloseRequests(races: Race[], perBid: number) {
  return races.flatMap(({ orderId, bidIds }) =>
    bidIds.flatMap((bidId, i) =>
      Array.from({ length: perBid }, () => ({
        kind: "bid close" as const,
        orderId,
        bidId,
        send: () => api.call("POST", `/bids/${bidId}/close`, { key: hosts[i]!.key }),
      })),
    ),
  );
}

function orderCloseRequests(races: Race[], perOrder: number) {
  return races.flatMap(({ orderId }) =>
    Array.from({ length: perOrder }, () => ({
      kind: "order close" as const,
      orderId,
      send: () => api.call("POST", `/orders/${orderId}/close`, { key: tenantKey }),
    })),
  );
}

async function tenantLeases(): Promise<
  { id: string; orderId: string; bidId: string; providerId: string; state: string }[]
> {
  const response = await api.call("GET", "/leases?limit=200", { key: tenantKey });
  expect(response.status).toBe(200);
  return response.body.leases;
}

async function bidsOf(orderId: string): Promise<{ id: string; state: string }[]> {
  return (await api.call("GET", `/orders/${orderId}/bids`, { key: tenantKey })).body.bids;
}

async function orderState(orderId: string): Promise<string> {
  return (await api.call("GET", `/orders/${orderId}`, { key: tenantKey })).body.order.state;
}

/** Every provider's allocated resources equal the sum of what its active leases need. */
async function expectInventoryMatchesActiveLeases(): Promise<void> {
  for (const host of hosts) {
    const [inventory, leases] = await Promise.all([
      api.call("GET", "/provider/inventory", { key: host.key }),
      api.call("GET", "/leases?state=active&limit=200", { key: host.key }),
    ]);
    const active = leases.body.leases.filter(
      (lease: { providerId: string }) => lease.providerId === host.providerId,
    );
    const allocated = inventory.body.inventory.reduce(
      (sum: { gpu: number; cpu: number; memory: number; storage: number }, item: any) => ({
        gpu: sum.gpu + item.allocated.gpu,
        cpu: sum.cpu + item.allocated.cpuMillicores,
        memory: sum.memory + item.allocated.memoryBytes,
        storage: sum.storage + item.allocated.storageBytes,
      }),
      { gpu: 0, cpu: 0, memory: 0, storage: 0 },
    );
    expect(allocated).toEqual({
      gpu: active.length * ORDER_RESOURCES.gpu.units,
      cpu: active.length * ORDER_RESOURCES.cpuMillicores,
      memory: active.length * ORDER_RESOURCES.memoryBytes,
      storage: active.length * ORDER_RESOURCES.storageBytes,
    });
  }
}

function statusesOf(shots: Shot[], kind: Kind): number[] {
  return [...new Set(shots.filter((shot) => shot.kind === kind).map((shot) => shot.response.status))].sort();
}

describe("racing accepts, bid closes and order closes", () => {
  it(
    "gives each order one lease or none, and only the winning accept succeeds",
    { timeout: 120_000 },
    async () => {
      const races = await ordersWithBids(ORDERS);
      const shots = await fire([
        ...acceptRequests(races, 4),
        ...bidCloseRequests(races, 2),
        ...orderCloseRequests(races, 3),
      ]);
      expect(shots.length).toBeGreaterThanOrEqual(ORDERS * 30);

      // Losers are told of the conflict; nothing fails any other way.
      for (const kind of ["accept", "bid close", "order close"] as const) {
        expect(statusesOf(shots, kind).every((status) => [200, 201, 409].includes(status))).toBe(true);
      }

      const leases = await tenantLeases();
      for (const { orderId, bidIds } of races) {
        const forOrder = shots.filter((shot) => shot.orderId === orderId);
        const accepted = forOrder.filter((shot) => shot.kind === "accept" && shot.response.status === 201);
        const orderLeases = leases.filter((lease) => lease.orderId === orderId);
        const closedOrder = forOrder.filter(
          (shot) => shot.kind === "order close" && shot.response.status === 200,
        );

        expect(orderLeases.length).toBeLessThanOrEqual(1);
        expect(accepted).toHaveLength(orderLeases.length);
        expect(closedOrder.length).toBeLessThanOrEqual(1);
        for (const bidId of bidIds) {
          const closes = forOrder.filter(
            (shot) => shot.kind === "bid close" && shot.bidId === bidId && shot.response.status === 200,
          );
          expect(closes.length).toBeLessThanOrEqual(1);
        }

        const bids = await bidsOf(orderId);
        const state = await orderState(orderId);
        const lease = orderLeases[0];
        if (lease) {
          expect(accepted[0]!.response.body.lease).toMatchObject({
            id: lease.id,
            bidId: lease.bidId,
            orderId,
          });
          expect(accepted[0]!.bidId).toBe(lease.bidId);
          // Either the lease runs, or an order close that came after the accept ended it.
          expect(lease.state).toBe(state === "active" ? "active" : "closed");
          if (lease.state === "active") {
            expect(bids.filter((bid) => bid.state === "active").map((bid) => bid.id)).toEqual([lease.bidId]);
            expect(
              bids
                .filter((bid) => bid.id !== lease.bidId)
                .every((bid) => ["lost", "closed"].includes(bid.state)),
            ).toBe(true);
          } else {
            expect(closedOrder).toHaveLength(1);
          }
        } else {
          expect(bids.some((bid) => bid.state === "active")).toBe(false);
          expect(["open", "closed"]).toContain(state);
        }
        for (const shot of forOrder.filter((s) => s.kind === "accept" && s.response.status !== 201)) {
          expect(shot.response.status).toBe(409);
        }
      }
      await expectInventoryMatchesActiveLeases();
    },
  );

  it("gives each order exactly one lease when only accepts race", { timeout: 120_000 }, async () => {
    const races = await ordersWithBids(ORDERS);
    const shots = await fire(acceptRequests(races, 7));
    expect(shots.length).toBeGreaterThanOrEqual(ORDERS * 30);

    const leases = await tenantLeases();
    for (const { orderId } of races) {
      const accepts = shots.filter((shot) => shot.orderId === orderId);
      const won = accepts.filter((shot) => shot.response.status === 201);
      const lost = accepts.filter((shot) => shot.response.status !== 201);
      const orderLeases = leases.filter((lease) => lease.orderId === orderId);

      expect(won).toHaveLength(1);
      expect(orderLeases).toHaveLength(1);
      expect(won[0]!.response.body.lease.id).toBe(orderLeases[0]!.id);
      expect(orderLeases[0]!.bidId).toBe(won[0]!.bidId);
      expect(lost.map((shot) => shot.response.status)).toEqual(lost.map(() => 409));
      expect(await orderState(orderId)).toBe("active");
    }
    await expectInventoryMatchesActiveLeases();
  });

  it(
    "closes each lease once when tenant, provider and order closes race, freeing the inventory",
    { timeout: 120_000 },
    async () => {
      const races = await ordersWithBids(ORDERS);
      const leases = await Promise.all(races.map((race) => api.acceptBid(tenantKey, race.bidIds[0]!)));
      await expectInventoryMatchesActiveLeases();

      const shots = await fire(
        leases.flatMap((lease) => [
          ...Array.from({ length: 10 }, () => ({
            kind: "lease close" as const,
            orderId: lease.orderId,
            send: () => api.call("POST", `/leases/${lease.id}/close`, { key: tenantKey }),
          })),
          ...Array.from({ length: 10 }, () => ({
            kind: "lease close" as const,
            orderId: lease.orderId,
            send: () => api.call("POST", `/leases/${lease.id}/close`, { key: hosts[0]!.key }),
          })),
          ...orderCloseRequests([{ orderId: lease.orderId, bidIds: [] }], 10),
        ]),
      );

      for (const lease of leases) {
        const forOrder = shots.filter((shot) => shot.orderId === lease.orderId);
        const succeeded = forOrder.filter((shot) => shot.response.status === 200);
        expect(succeeded).toHaveLength(1);
        expect(
          forOrder.filter((shot) => shot.response.status !== 200).map((shot) => shot.response.status),
        ).toEqual(forOrder.slice(1).map(() => 409));
        const after = await api.call("GET", `/leases/${lease.id}`, { key: tenantKey });
        expect(after.body.lease.state).toBe("closed");
        expect(await orderState(lease.orderId)).toBe("closed");
      }
      await expectInventoryMatchesActiveLeases();
    },
  );
});

describe("racing bids", () => {
  it(
    "leaves a provider at most one open bid on an order however many it fires at once",
    { timeout: 60_000 },
    async () => {
      const order = await api.postOrder(tenantKey, {
        resources: ORDER_RESOURCES,
        maxPricePerHour: "5.000000",
      });
      const shots = await Promise.all(
        hosts.flatMap((host) =>
          Array.from({ length: 8 }, (_, i) =>
            api.call("POST", `/orders/${order.id}/bids`, {
              key: host.key,
              body: { pricePerHour: `3.00000${i}` },
            }),
          ),
        ),
      );

      expect(shots.filter((shot) => shot.status === 201)).toHaveLength(PROVIDERS);
      expect(shots.filter((shot) => shot.status !== 201).map((shot) => shot.status)).toEqual(
        Array.from({ length: PROVIDERS * 7 }, () => 409),
      );
      const bids = await bidsOf(order.id);
      expect(bids.filter((bid) => bid.state === "open")).toHaveLength(PROVIDERS);
      for (const host of hosts) {
        const own = await api.call("GET", `/orders/${order.id}/bids`, { key: host.key });
        expect(own.body.bids).toHaveLength(1);
      }
    },
  );
});
