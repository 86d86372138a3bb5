import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { apiClient, type StreamedEvent } from "../support/api-client";
import { startApiServer } from "../support/api-server";

/**
 * GET /api/v1/events as a client sees it: Server-Sent Events read with fetch. A provider
 * hears of new orders its free inventory can serve and of nothing else; a tenant hears of
 * bids on its orders; a reconnect with Last-Event-ID gets what it missed.
 *
 * Negative checks are made deterministic by ordering: a stream delivers events in the order
 * they were committed, so once a later event has arrived, an earlier one that did not come
 * never will.
 */

let server: Awaited<ReturnType<typeof startApiServer>>;
let api: ReturnType<typeof apiClient>;
type Stream = Awaited<ReturnType<ReturnType<typeof apiClient>["openEvents"]>>;
const open: Stream[] = [];

const WAIT_MS = 8_000;
const h100 = { vendor: "nvidia", model: "h100", memoryGiB: 80, interface: "sxm", count: 8 };
const a100 = { vendor: "nvidia", model: "a100", memoryGiB: 80, interface: "pcie", count: 8 };
const orderFor = (model: string) => ({
  resources: {
    gpu: { units: 1, vendor: "nvidia", model },
    cpuMillicores: 4_000,
    memoryBytes: 32 * 1024 ** 3,
    storageBytes: 100 * 1024 ** 3,
  },
});

beforeAll(async () => {
  server = await startApiServer();
  api = apiClient(server.baseUrl);
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((stream) => stream.close()));
});
afterAll(async () => server.close());

async function listen(key: string, options: { lastEventId?: string } = {}): Promise<Stream> {
  const stream = await api.openEvents(key, options);
  open.push(stream);
  return stream;
}

const is = (type: string, id: string) => (event: StreamedEvent) =>
  event.type === type && event.data?.id === id;

describe("new orders on a provider's stream", () => {
  it("reach a provider whose inventory can serve them, and not one whose inventory cannot", async () => {
    const tenant = await api.signUp(["tenant"]);
    const h100Host = await api.provider({ inventory: [{ gpu: h100 }] });
    const a100Host = await api.provider({ inventory: [{ gpu: a100 }] });
    const h100Stream = await listen(h100Host.key);
    const a100Stream = await listen(a100Host.key);

    const h100Order = await api.postOrder(tenant.key, orderFor("h100"));
    const a100Order = await api.postOrder(tenant.key, orderFor("a100"));
    const laterH100Order = await api.postOrder(tenant.key, orderFor("h100"));

    const heard = await h100Stream.next(is("order.created", h100Order.id), WAIT_MS);
    expect(heard.data).toMatchObject({
      id: h100Order.id,
      state: "open",
      resources: { gpu: { model: "h100" } },
    });
    expect(heard.id).toMatch(/^\d+$/);
    await a100Stream.next(is("order.created", a100Order.id), WAIT_MS);
    await h100Stream.next(is("order.created", laterH100Order.id), WAIT_MS);

    expect(a100Stream.events.some(is("order.created", h100Order.id))).toBe(false);
    expect(a100Stream.events.some(is("order.created", laterH100Order.id))).toBe(false);
    expect(h100Stream.events.some(is("order.created", a100Order.id))).toBe(false);
  });

  it("do not reach a provider whose matching GPUs are all leased", async () => {
    const tenant = await api.signUp(["tenant"]);
    const host = await api.provider({
      inventory: [{ gpu: { ...h100, count: 1 } }, { gpu: { ...a100, count: 1 } }],
    });
    const taken = await api.postOrder(tenant.key, orderFor("h100"));
    await api.acceptBid(tenant.key, (await api.placeBid(host.key, taken.id)).id);
    const stream = await listen(host.key);

    const unservable = await api.postOrder(tenant.key, orderFor("h100"));
    const servable = await api.postOrder(tenant.key, orderFor("a100"));

    await stream.next(is("order.created", servable.id), WAIT_MS);
    expect(stream.events.some(is("order.created", unservable.id))).toBe(false);
  });
});

describe("bids on a tenant's stream", () => {
  it("reach the order's tenant when a provider bids, and not an uninvolved provider", async () => {
    const tenant = await api.signUp(["tenant"]);
    const bidder = await api.provider({ inventory: [{ gpu: h100 }] });
    const bystander = await api.provider({ inventory: [{ gpu: a100 }] });
    const order = await api.postOrder(tenant.key, orderFor("h100"));
    const tenantStream = await listen(tenant.key);
    const bystanderStream = await listen(bystander.key);

    const bid = await api.placeBid(bidder.key, order.id, "2.250000");
    const heard = await tenantStream.next(is("bid.created", bid.id), WAIT_MS);
    const marker = await api.postOrder(tenant.key, orderFor("a100"));
    await bystanderStream.next(is("order.created", marker.id), WAIT_MS);

    expect(heard.data).toMatchObject({
      id: bid.id,
      orderId: order.id,
      state: "open",
      pricePerHour: "2.250000",
    });
    expect(bystanderStream.events.some(is("bid.created", bid.id))).toBe(false);
  });

  it("tell the winner, the loser and the tenant how an accept turned out", async () => {
    const tenant = await api.signUp(["tenant"]);
    const winner = await api.provider({ inventory: [{ gpu: h100 }] });
    const loser = await api.provider({ inventory: [{ gpu: h100 }] });
    const order = await api.postOrder(tenant.key, orderFor("h100"));
    const winningBid = await api.placeBid(winner.key, order.id, "2.000000");
    const losingBid = await api.placeBid(loser.key, order.id, "2.100000");
    const streams = {
      tenant: await listen(tenant.key),
      winner: await listen(winner.key),
      loser: await listen(loser.key),
    };

    const lease = await api.acceptBid(tenant.key, winningBid.id);

    const tenantHeard = await streams.tenant.next(is("lease.created", lease.id), WAIT_MS);
    const winnerHeard = await streams.winner.next(is("lease.created", lease.id), WAIT_MS);
    const loserHeard = await streams.loser.next(is("bid.updated", losingBid.id), WAIT_MS);
    expect(tenantHeard.data).toMatchObject({ orderId: order.id, bidId: winningBid.id, state: "active" });
    expect(winnerHeard.data.bidId).toBe(winningBid.id);
    expect(loserHeard.data.state).toBe("lost");
    expect(streams.loser.events.some(is("lease.created", lease.id))).toBe(false);
  });
});

describe("reconnecting", () => {
  it("with Last-Event-ID replays what happened while disconnected, and nothing already seen", async () => {
    const tenant = await api.signUp(["tenant"]);
    const first = await api.provider({ inventory: [{ gpu: h100 }] });
    const second = await api.provider({ inventory: [{ gpu: h100 }] });
    const order = await api.postOrder(tenant.key, orderFor("h100"));

    const before = await listen(tenant.key);
    const firstBid = await api.placeBid(first.key, order.id, "2.000000");
    const seen = await before.next(is("bid.created", firstBid.id), WAIT_MS);
    await before.close();

    const missedBid = await api.placeBid(second.key, order.id, "1.900000");
    const after = await listen(tenant.key, { lastEventId: seen.id! });
    const replayed = await after.next(is("bid.created", missedBid.id), WAIT_MS);

    expect(BigInt(replayed.id!)).toBeGreaterThan(BigInt(seen.id!));
    expect(after.events.some((event) => event.id === seen.id)).toBe(false);
    expect(after.events.some(is("bid.created", firstBid.id))).toBe(false);
  });

  it("without Last-Event-ID starts from now", async () => {
    const tenant = await api.signUp(["tenant"]);
    const host = await api.provider({ inventory: [{ gpu: h100 }] });
    const order = await api.postOrder(tenant.key, orderFor("h100"));
    const earlier = await api.placeBid(host.key, order.id, "2.000000");

    const stream = await listen(tenant.key);
    await api.call("POST", `/bids/${earlier.id}/close`, { key: host.key });
    await stream.next(is("bid.updated", earlier.id), WAIT_MS);

    expect(stream.events.some(is("bid.created", earlier.id))).toBe(false);
  });
});
