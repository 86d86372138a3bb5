import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, orderInput } from "../support/api-client";
import { startApiServer } from "../support/api-server";
import { closeSnapshotPool, queryRows } from "./market-snapshot";

/**
 * Idempotency-Key on POST: a retry with the same key and body replays the first answer and
 * creates nothing more; the same key with another body is refused; racing retries with one
 * key create one resource.
 */

let server: Awaited<ReturnType<typeof startApiServer>>;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  server = await startApiServer();
  api = apiClient(server.baseUrl);
});
afterAll(async () => {
  await closeSnapshotPool();
  await server.close();
});

const keyed = (key: string) => ({ "idempotency-key": key });

async function ordersOf(tenantKey: string): Promise<{ id: string }[]> {
  return (await api.call("GET", "/orders?limit=200", { key: tenantKey })).body.orders;
}

describe("a retry with the same key and body", () => {
  it("replays a posted order: same status and body, marked replayed, one order", async () => {
    const tenant = await api.signUp(["tenant"]);
    const key = randomUUID();
    const body = orderInput({ maxPricePerHour: "2.750000" });

    const first = await api.call("POST", "/orders", { key: tenant.key, body, headers: keyed(key) });
    const second = await api.call("POST", "/orders", { key: tenant.key, body, headers: keyed(key) });

    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(second.status).toBe(201);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.body).toEqual(first.body);
    expect((await ordersOf(tenant.key)).map((order) => order.id)).toEqual([first.body.order.id]);
  });

  it("replays a bid: one bid, and the retry is not refused as a second bid", async () => {
    const tenant = await api.signUp(["tenant"]);
    const host = await api.provider();
    const order = await api.postOrder(tenant.key);
    const key = randomUUID();

    const first = await api.call("POST", `/orders/${order.id}/bids`, {
      key: host.key,
      body: { pricePerHour: "2.000000" },
      headers: keyed(key),
    });
    const second = await api.call("POST", `/orders/${order.id}/bids`, {
      key: host.key,
      body: { pricePerHour: "2.000000" },
      headers: keyed(key),
    });
    const unkeyed = await api.call("POST", `/orders/${order.id}/bids`, {
      key: host.key,
      body: { pricePerHour: "2.000000" },
    });

    expect(first.status).toBe(201);
    expect(second).toMatchObject({ status: 201, body: first.body });
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(unkeyed.status).toBe(409);
    expect((await api.call("GET", `/orders/${order.id}/bids`, { key: tenant.key })).body.bids).toHaveLength(
      1,
    );
  });

  it("replays an accept: the same lease, where an unkeyed second accept gets 409", async () => {
    const tenant = await api.signUp(["tenant"]);
    const host = await api.provider();
    const order = await api.postOrder(tenant.key);
    const bid = await api.placeBid(host.key, order.id);
    const key = randomUUID();

    const first = await api.call("POST", `/bids/${bid.id}/accept`, { key: tenant.key, headers: keyed(key) });
    const second = await api.call("POST", `/bids/${bid.id}/accept`, { key: tenant.key, headers: keyed(key) });
    const unkeyed = await api.call("POST", `/bids/${bid.id}/accept`, { key: tenant.key });

    expect(first.status).toBe(201);
    expect(second).toMatchObject({ status: 201, body: first.body });
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(unkeyed.status).toBe(409);
    const leases = (await api.call("GET", "/leases", { key: tenant.key })).body.leases;
    expect(leases.map((lease: { id: string }) => lease.id)).toEqual([first.body.lease.id]);
  });

  it("replays a sign-up without creating a second account or storing its API key", async () => {
    const email = `idem-${randomUUID()}@example.test`;
    const body = { email, password: "correct horse battery", roles: ["tenant"] };
    const key = randomUUID();

    const first = await api.call("POST", "/accounts", { body, headers: keyed(key) });
    const second = await api.call("POST", "/accounts", { body, headers: keyed(key) });

    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.account).toEqual(first.body.account);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    // The key is shown once: the replay says so instead of repeating it, and it is not stored.
    expect(second.body.apiKey).not.toBe(first.body.apiKey);
    expect(second.body.apiKey).toMatch(/shown once/);
    const stored = await queryRows<{ body: unknown }>("SELECT body FROM idempotency_record WHERE key = $1", [
      key,
    ]);
    expect(JSON.stringify(stored)).not.toContain(first.body.apiKey);
    const rows = await queryRows<{ count: string }>("SELECT count(*) FROM account WHERE email = $1", [email]);
    expect(rows[0]?.count).toBe("1");
    const me = await api.call("GET", "/me", { key: first.body.apiKey });
    expect(me.status).toBe(200);
  });

  it("replays a refusal as a refusal", async () => {
    const tenant = await api.signUp(["tenant"]);
    const order = await api.postOrder(tenant.key);
    await api.call("POST", `/orders/${order.id}/close`, { key: tenant.key });
    const key = randomUUID();

    const first = await api.call("POST", `/orders/${order.id}/close`, {
      key: tenant.key,
      headers: keyed(key),
    });
    const second = await api.call("POST", `/orders/${order.id}/close`, {
      key: tenant.key,
      headers: keyed(key),
    });

    expect(first.status).toBe(409);
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe(first.body.error.code);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
  });
});

describe("a key reused for something else", () => {
  it("is refused with 422 naming Idempotency-Key when the body differs, and creates nothing", async () => {
    const tenant = await api.signUp(["tenant"]);
    const key = randomUUID();
    const first = await api.call("POST", "/orders", {
      key: tenant.key,
      body: orderInput({ maxPricePerHour: "2.000000" }),
      headers: keyed(key),
    });

    const other = await api.call("POST", "/orders", {
      key: tenant.key,
      body: orderInput({ maxPricePerHour: "9.000000" }),
      headers: keyed(key),
    });

    expect(first.status).toBe(201);
    expect(other.status).toBe(422);
    expect(other.body.error.fields.map((field: { path: string }) => field.path)).toContain("Idempotency-Key");
    expect(await ordersOf(tenant.key)).toHaveLength(1);
  });

  it("is refused when sent to another route", async () => {
    const tenant = await api.signUp(["tenant"]);
    const key = randomUUID();
    const order = await api.call("POST", "/orders", {
      key: tenant.key,
      body: orderInput(),
      headers: keyed(key),
    });

    const close = await api.call("POST", `/orders/${order.body.order.id}/close`, {
      key: tenant.key,
      headers: keyed(key),
    });

    expect(close.status).toBe(422);
    expect(close.body.error.fields.map((field: { path: string }) => field.path)).toContain("Idempotency-Key");
    expect(
      (await api.call("GET", `/orders/${order.body.order.id}`, { key: tenant.key })).body.order.state,
    ).toBe("open");
  });

  it("belongs to one account: another account's same key and body create its own order", async () => {
    const alice = await api.signUp(["tenant"]);
    const bob = await api.signUp(["tenant"]);
    const key = randomUUID();
    const body = orderInput();

    const forAlice = await api.call("POST", "/orders", { key: alice.key, body, headers: keyed(key) });
    const forBob = await api.call("POST", "/orders", { key: bob.key, body, headers: keyed(key) });

    expect(forBob.status).toBe(201);
    expect(forBob.headers.get("idempotent-replayed")).toBeNull();
    expect(forBob.body.order.id).not.toBe(forAlice.body.order.id);
    expect(forBob.body.order.tenantId).toBe(bob.account.id);
  });

  it("is not taken by a request refused for bad input, so the corrected retry runs", async () => {
    const tenant = await api.signUp(["tenant"]);
    const key = randomUUID();

    const bad = await api.call("POST", "/orders", {
      key: tenant.key,
      body: orderInput({ count: -1 }),
      headers: keyed(key),
    });
    const good = await api.call("POST", "/orders", {
      key: tenant.key,
      body: orderInput(),
      headers: keyed(key),
    });

    expect(bad.status).toBe(422);
    expect(good.status).toBe(201);
    expect(good.headers.get("idempotent-replayed")).toBeNull();
  });

  it("must be a sensible token: a malformed key is refused with 400 naming Idempotency-Key", async () => {
    const tenant = await api.signUp(["tenant"]);

    const response = await api.call("POST", "/orders", {
      key: tenant.key,
      body: orderInput(),
      headers: keyed("x".repeat(256)),
    });

    expect(response.status).toBe(400);
    expect(response.body.error.fields.map((field: { path: string }) => field.path)).toEqual([
      "Idempotency-Key",
    ]);
    expect(await ordersOf(tenant.key)).toHaveLength(0);
  });
});

describe("racing requests with one key", () => {
  it("create one order; each answer is that order or a retry-later 409", async () => {
    const tenant = await api.signUp(["tenant"]);
    const key = randomUUID();
    const body = orderInput();

    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        api.call("POST", "/orders", { key: tenant.key, body, headers: keyed(key) }),
      ),
    );

    const created = answers.filter((answer) => answer.status === 201);
    const orders = await ordersOf(tenant.key);
    expect(orders).toHaveLength(1);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(created.filter((answer) => answer.headers.get("idempotent-replayed") === null)).toHaveLength(1);
    for (const answer of created) expect(answer.body.order.id).toBe(orders[0]!.id);
    for (const answer of answers.filter((a) => a.status !== 201)) {
      expect(answer.status).toBe(409);
      expect(answer.body.error.code).toBe("CONFLICT");
    }

    const retry = await api.call("POST", "/orders", { key: tenant.key, body, headers: keyed(key) });
    expect(retry.status).toBe(201);
    expect(retry.body.order.id).toBe(orders[0]!.id);
  });

  it("create one bid per key even when a provider races its own retries", async () => {
    const tenant = await api.signUp(["tenant"]);
    const host = await api.provider();
    const order = await api.postOrder(tenant.key);
    const key = randomUUID();

    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        api.call("POST", `/orders/${order.id}/bids`, {
          key: host.key,
          body: { pricePerHour: "2.000000" },
          headers: keyed(key),
        }),
      ),
    );

    const bids = (await api.call("GET", `/orders/${order.id}/bids`, { key: tenant.key })).body.bids;
    expect(bids).toHaveLength(1);
    for (const answer of answers) {
      expect([201, 409]).toContain(answer.status);
      if (answer.status === 201) expect(answer.body.bid.id).toBe(bids[0].id);
    }
  });
});
