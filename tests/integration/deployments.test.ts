import { spawn } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAutoAccept } from "@/lib/deployments/auto-accept";
import { closeDeployment } from "@/lib/deployments/close-deployment";
import { adminListDeployments, getDeploymentFor } from "@/lib/deployments/deployment-queries";
import { apiClient } from "../support/api-client";
import { startApiServer } from "../support/api-server";
import { closeSnapshotPool, marketSnapshot, queryRows } from "./market-snapshot";

const FIXTURES = path.resolve(process.cwd(), "tests/fixtures/sdl/awesome-akash");
const GiB = 1024 ** 3;

let server: Awaited<ReturnType<typeof startApiServer>>;
let api: ReturnType<typeof apiClient>;
let llamaSdl: string;
let expectedLlamaVersion: string;

beforeAll(async () => {
  server = await startApiServer();
  api = apiClient(server.baseUrl);
  llamaSdl = await readFile(path.join(FIXTURES, "Llama-3.1-8B_deploy.yaml"), "utf8");
  const expected = JSON.parse(await readFile(path.join(FIXTURES, "expected.json"), "utf8")) as {
    file: string;
    manifestVersion?: string;
  }[];
  expectedLlamaVersion = expected.find(
    (entry) => entry.file === "Llama-3.1-8B_deploy.yaml",
  )!.manifestVersion!;
});
afterAll(async () => {
  await server.close();
  await closeSnapshotPool();
});

/** A small GPU SDL: `services` web (GPU, in group "dc") and, with `twoGroups`, a CPU-only db in group "edge". */
function gpuSdl(
  options: { cpuUnits?: string; twoGroups?: boolean; sameGroup?: boolean; models?: string[] } = {},
) {
  const models = (options.models ?? ["h100"]).map((model) => `                - model: ${model}`).join("\n");
  const dbGroup = options.sameGroup ? "dc" : "edge";
  const withDb = options.twoGroups || options.sameGroup;
  return `version: "2.0"
services:
  web:
    image: vllm/vllm-openai:v0.6.2
    expose:
      - port: 8000
        as: 80
        to:
          - global: true
${
  withDb
    ? `  db:
    image: postgres:16
    expose:
      - port: 5432
        to:
          - service: web
`
    : ""
}profiles:
  compute:
    web:
      resources:
        cpu:
          units: ${options.cpuUnits ?? "8"}
        memory:
          size: 32Gi
        storage:
          size: 100Gi
        gpu:
          units: 1
          attributes:
            vendor:
              nvidia:
${models}
${
  withDb
    ? `    db:
      resources:
        cpu:
          units: 2
        memory:
          size: 4Gi
        storage:
          size: 20Gi
`
    : ""
}  placement:
    dc:
      pricing:
        web:
          denom: uact
          amount: 5000
${withDb && options.sameGroup ? `        db:\n          denom: uact\n          amount: 100\n` : ""}${
    withDb && !options.sameGroup
      ? `    edge:
      pricing:
        db:
          denom: uact
          amount: 100
`
      : ""
  }deployment:
  web:
    dc:
      profile: web
      count: 1
${withDb ? `  db:\n    ${dbGroup}:\n      profile: db\n      count: 1\n` : ""}`;
}

/** The 1-based line of the first line containing `text`. */
function lineOf(sdl: string, text: string): number {
  const index = sdl.split("\n").findIndex((line) => line.includes(text));
  if (index < 0) throw new Error(`no line contains ${text}`);
  return index + 1;
}

async function postDeployment(key: string, body: Record<string, unknown>) {
  return api.call("POST", "/deployments", { key, body, headers: { "idempotency-key": randomUUID() } });
}

describe("deployments through the REST API", () => {
  it("turns an Akash SDL into a deployment with Akash's hash and one order per placement group", async () => {
    const tenant = await api.signUp(["tenant"]);
    const posted = await postDeployment(tenant.key, { sdl: llamaSdl });
    expect(posted.status).toBe(201);
    expect(posted.body.deployment).toMatchObject({ state: "active", manifestVersion: expectedLlamaVersion });
    expect(posted.body.orders).toHaveLength(1);
    const order = posted.body.orders[0];
    expect(order).toMatchObject({
      state: "open",
      deploymentId: posted.body.deployment.id,
      groupName: "dcloud",
      count: 1,
      resources: {
        cpuMillicores: 12_000,
        gpu: {
          units: 1,
          vendor: "nvidia",
          model: null,
          choices: [
            { model: "h100", memoryGiB: null, interface: null },
            { model: "a100", memoryGiB: null, interface: null },
            { model: "rtxa6000", memoryGiB: null, interface: null },
          ],
        },
      },
    });
    // 32 GiB of memory plus the 10 GiB shm volume (class ram); 50 + 100 GiB of disk.
    expect(order.resources.memoryBytes).toBe(42 * GiB);
    expect(order.resources.storageBytes).toBe(150 * GiB);
    // 1,000,000 uact per block, 600 blocks an hour, 1 uact = 1 micro-USD: $600 an hour.
    expect(order.maxPricePerHour).toBe("600.000000");
  });

  it("offers the order only to providers with one of the SDL's GPUs, who bid; the tenant accepts", async () => {
    const tenant = await api.signUp(["tenant"]);
    const withH100 = await api.provider({
      inventory: [{ gpu: { vendor: "nvidia", model: "h100", memoryGiB: 80, interface: "sxm", count: 2 } }],
    });
    const with4090 = await api.provider({
      inventory: [
        { gpu: { vendor: "nvidia", model: "rtx4090", memoryGiB: 24, interface: "pcie", count: 4 } },
      ],
    });
    const posted = await postDeployment(tenant.key, { sdl: gpuSdl({ models: ["h100", "a100"] }) });
    expect(posted.status).toBe(201);
    const orderId = posted.body.orders[0].id as string;
    expect(posted.body.orders[0].maxPricePerHour).toBe("3.000000");

    const seenBy = async (key: string) =>
      (await api.call("GET", "/orders?state=open", { key })).body.orders.map((o: { id: string }) => o.id);
    expect(await seenBy(withH100.key)).toContain(orderId);
    expect(await seenBy(with4090.key)).not.toContain(orderId);
    const refused = await api.call("POST", `/orders/${orderId}/bids`, {
      key: with4090.key,
      body: { pricePerHour: "1.000000" },
    });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);

    const bid = await api.placeBid(withH100.key, orderId, "2.200000");
    const lease = await api.acceptBid(tenant.key, bid.id);
    expect(lease.orderId).toBe(orderId);

    const detail = await api.call("GET", `/deployments/${posted.body.deployment.id}`, { key: tenant.key });
    expect(detail.status).toBe(200);
    expect(detail.body.deployment.sdl).toContain("vllm/vllm-openai");
    expect(detail.body.orders.map((o: { state: string }) => o.state)).toEqual(["active"]);
    expect(detail.body.bids.map((b: { id: string }) => b.id)).toEqual([bid.id]);
    expect(detail.body.leases.map((l: { id: string }) => l.id)).toEqual([lease.id]);
    const kinds = detail.body.timeline.map((step: { kind: string; at: string | null }) => [
      step.kind,
      step.at !== null,
    ]);
    expect(kinds).toEqual([
      ["posted", true],
      ["bids", true],
      ["lease", true],
      ["manifest", false],
      ["running", false],
    ]);

    const listed = await api.call("GET", "/deployments", { key: tenant.key });
    expect(listed.body.deployments.map((d: { deployment: { id: string } }) => d.deployment.id)).toEqual([
      posted.body.deployment.id,
    ]);
    expect(listed.body.deployments[0].leases).toHaveLength(1);

    const stranger = await api.signUp(["tenant"]);
    expect(
      (await api.call("GET", `/deployments/${posted.body.deployment.id}`, { key: stranger.key })).status,
    ).toBe(403);
  });

  it("gives the manifest to the tenant and the winning provider only, and marks it delivered", async () => {
    const tenant = await api.signUp(["tenant"]);
    const winner = await api.provider();
    const loser = await api.provider();
    const posted = await postDeployment(tenant.key, { sdl: llamaSdl });
    const deploymentId = posted.body.deployment.id as string;
    const orderId = posted.body.orders[0].id as string;
    const manifestPath = `/deployments/${deploymentId}/manifest`;

    // Before any lease, providers (even bidders) cannot read it.
    const winningBid = await api.placeBid(winner.key, orderId, "2.000000");
    await api.placeBid(loser.key, orderId, "2.500000");
    expect((await api.call("GET", manifestPath, { key: winner.key })).status).toBe(403);

    const ownView = await api.call("GET", manifestPath, { key: tenant.key });
    expect(ownView.status).toBe(200);
    expect(ownView.body.manifestVersion).toBe(expectedLlamaVersion);
    const digest = createHash("sha256").update(ownView.body.manifestJson, "utf8").digest("hex");
    expect(digest).toBe(expectedLlamaVersion);
    expect(ownView.body.manifest[0].services[0].name).toBe("vllm");

    const lease = await api.acceptBid(tenant.key, winningBid.id);
    const before = await queryRows<{ manifestDeliveredAt: Date | null }>(
      `SELECT "manifestDeliveredAt" FROM lease WHERE id = $1`,
      [lease.id],
    );
    expect(before[0]?.manifestDeliveredAt).toBeNull();

    expect((await api.call("GET", manifestPath, { key: loser.key })).status).toBe(403);
    const stranger = await api.signUp(["tenant"]);
    expect((await api.call("GET", manifestPath, { key: stranger.key })).status).toBe(403);

    const delivered = await api.call("GET", manifestPath, { key: winner.key });
    expect(delivered.status).toBe(200);
    expect(delivered.body.manifestJson).toBe(ownView.body.manifestJson);
    const after = await queryRows<{ manifestDeliveredAt: Date | null }>(
      `SELECT "manifestDeliveredAt" FROM lease WHERE id = $1`,
      [lease.id],
    );
    expect(after[0]?.manifestDeliveredAt).toBeInstanceOf(Date);
    const detail = await api.call("GET", `/deployments/${deploymentId}`, { key: tenant.key });
    expect(detail.body.timeline.find((step: { kind: string }) => step.kind === "manifest").at).not.toBeNull();

    // After the lease closes the provider cannot fetch it any more.
    await api.call("POST", `/leases/${lease.id}/close`, { key: tenant.key });
    expect((await api.call("GET", manifestPath, { key: winner.key })).status).toBe(403);
  });

  it("closes a deployment with its orders, bids and leases, freeing the provider's inventory", async () => {
    const tenant = await api.signUp(["tenant"]);
    const host = await api.provider();
    const posted = await postDeployment(tenant.key, { sdl: gpuSdl({ twoGroups: true }) });
    expect(posted.status).toBe(201);
    expect(posted.body.orders.map((o: { groupName: string }) => o.groupName).sort()).toEqual(["dc", "edge"]);
    const gpuOrder = posted.body.orders.find((o: { groupName: string }) => o.groupName === "dc");
    const cpuOrder = posted.body.orders.find((o: { groupName: string }) => o.groupName === "edge");
    expect(cpuOrder.resources.gpu.units).toBe(0);
    const bid = await api.placeBid(host.key, gpuOrder.id, "2.000000");
    await api.acceptBid(tenant.key, bid.id);
    const openBid = await api.placeBid(host.key, cpuOrder.id, "0.050000");
    expect(
      (await api.call("GET", "/provider/inventory", { key: host.key })).body.inventory[0].allocated.gpu,
    ).toBe(1);

    const closed = await api.call("POST", `/deployments/${posted.body.deployment.id}/close`, {
      key: tenant.key,
    });
    expect(closed.status).toBe(200);
    expect(closed.body.deployment.state).toBe("closed");
    const detail = await api.call("GET", `/deployments/${posted.body.deployment.id}`, { key: tenant.key });
    expect(detail.body.orders.map((o: { state: string }) => o.state)).toEqual(["closed", "closed"]);
    expect(
      detail.body.leases.map((l: { state: string; closeReason: string }) => [l.state, l.closeReason]),
    ).toEqual([["closed", "owner"]]);
    expect(detail.body.bids.find((b: { id: string }) => b.id === openBid.id).state).toBe("closed");
    expect(
      (await api.call("GET", "/provider/inventory", { key: host.key })).body.inventory[0].allocated.gpu,
    ).toBe(0);

    const again = await api.call("POST", `/deployments/${posted.body.deployment.id}/close`, {
      key: tenant.key,
    });
    expect(again.status).toBe(409);
    const stranger = await api.signUp(["tenant"]);
    const other = await postDeployment(stranger.key, { sdl: gpuSdl() });
    expect(
      (await api.call("POST", `/deployments/${other.body.deployment.id}/close`, { key: tenant.key })).status,
    ).toBe(403);
  });

  it("lets an admin see every deployment and close one, its leases closing as closed by an admin", async () => {
    const tenant = await api.signUp(["tenant"]);
    const host = await api.provider();
    const staff = await api.signUp(["tenant"]);
    const admin = {
      accountId: staff.account.id,
      email: staff.account.email,
      ethAddress: null,
      roles: ["admin" as const],
    };
    const posted = await postDeployment(tenant.key, { sdl: gpuSdl() });
    const deploymentId = posted.body.deployment.id as string;
    const lease = await api.acceptBid(
      tenant.key,
      (await api.placeBid(host.key, posted.body.orders[0].id)).id,
    );

    const listed = await adminListDeployments(admin, { state: "active" });
    expect(listed.map((summary) => summary.deployment.id)).toContain(deploymentId);
    await expect(adminListDeployments({ ...admin, roles: ["tenant"] }, {})).rejects.toMatchObject({
      code: "FORBIDDEN",
    });

    // Admins see the deployment but not its SDL: its env may hold the tenant's secrets.
    const seen = await getDeploymentFor(admin, deploymentId);
    expect(seen.orders).toHaveLength(1);
    expect(seen.sdl).toBeNull();

    const closed = await closeDeployment(admin, deploymentId);
    expect(closed.state).toBe("closed");
    const rows = await queryRows<{ state: string; closeReason: string }>(
      `SELECT state::text, "closeReason"::text FROM lease WHERE id = $1`,
      [lease.id],
    );
    expect(rows).toEqual([{ state: "closed", closeReason: "admin" }]);
    expect(
      (await adminListDeployments(admin, { state: "active" })).map((s) => s.deployment.id),
    ).not.toContain(deploymentId);
  });

  it("puts several services of one placement group in one order, placed on one provider", async () => {
    const tenant = await api.signUp(["tenant"]);
    const host = await api.provider();
    const posted = await postDeployment(tenant.key, { sdl: gpuSdl({ sameGroup: true }) });
    expect(posted.status).toBe(201);
    expect(posted.body.orders).toHaveLength(1);
    const order = posted.body.orders[0];
    expect(order.resources.gpu.units).toBe(1);
    expect(order.additionalUnits).toEqual([
      {
        count: 1,
        resources: expect.objectContaining({
          cpuMillicores: 2_000,
          memoryBytes: 4 * GiB,
          storageBytes: 20 * GiB,
        }),
      },
    ]);
    // (5000 + 100) uact per block x 600 blocks = $3.06 an hour.
    expect(order.maxPricePerHour).toBe("3.060000");
    const bid = await api.placeBid(host.key, order.id, "2.000000");
    await api.acceptBid(tenant.key, bid.id);
    const inventory = (await api.call("GET", "/provider/inventory", { key: host.key })).body.inventory[0];
    expect(inventory.allocated).toEqual({
      gpu: 1,
      cpuMillicores: 10_000,
      memoryBytes: 36 * GiB,
      storageBytes: 120 * GiB,
    });
  });

  it("takes the tenant's own max price per placement group over the SDL's", async () => {
    const tenant = await api.signUp(["tenant"]);
    const posted = await postDeployment(tenant.key, {
      sdl: gpuSdl({ twoGroups: true }),
      maxPricePerHour: { dc: "4.250000" },
    });
    expect(posted.status).toBe(201);
    const byGroup = Object.fromEntries(
      posted.body.orders.map((o: { groupName: string; maxPricePerHour: string }) => [
        o.groupName,
        o.maxPricePerHour,
      ]),
    );
    expect(byGroup).toEqual({ dc: "4.250000", edge: "0.060000" });
  });

  it("takes placement group names that are also names of object properties", async () => {
    const tenant = await api.signUp(["tenant"]);
    for (const name of ["constructor", "toString", "__proto__"]) {
      const sdl = gpuSdl().replaceAll("    dc:\n", `    ${name}:\n`);
      const posted = await postDeployment(tenant.key, { sdl });
      expect(posted.status, JSON.stringify(posted.body)).toBe(201);
      expect(posted.body.orders[0]).toMatchObject({ groupName: name, maxPricePerHour: "3.000000" });
    }
  });

  it("closes a deployment racing an accept on its other order without a deadlock or a 500", async () => {
    // The close locks the first order, then (closing its lease) the provider's inventory, then
    // the second order; the accept locks the second order, then the same inventory. Taken one
    // order at a time that is a lock cycle; the close takes every order before any inventory.
    for (let round = 0; round < 12; round++) {
      const tenant = await api.signUp(["tenant"]);
      const host = await api.provider();
      const posted = await postDeployment(tenant.key, { sdl: gpuSdl({ twoGroups: true }) });
      const [first, second] = [...(posted.body.orders as { id: string; groupName: string }[])].sort((a, b) =>
        a.id < b.id ? -1 : 1,
      );
      const price = (order: { groupName: string }) => (order.groupName === "dc" ? "1.000000" : "0.050000");
      await api.acceptBid(tenant.key, (await api.placeBid(host.key, first!.id, price(first!))).id);
      const bid = await api.placeBid(host.key, second!.id, price(second!));

      const [close, accept] = await Promise.all([
        api.call("POST", `/deployments/${posted.body.deployment.id}/close`, { key: tenant.key }),
        api.call("POST", `/bids/${bid.id}/accept`, { key: tenant.key }),
      ]);
      expect(close.status, JSON.stringify(close.body)).toBe(200);
      expect([201, 409], JSON.stringify(accept.body)).toContain(accept.status);
      const detail = await api.call("GET", `/deployments/${posted.body.deployment.id}`, { key: tenant.key });
      expect(detail.body.orders.map((o: { state: string }) => o.state)).toEqual(["closed", "closed"]);
      expect(detail.body.leases.every((l: { state: string }) => l.state === "closed")).toBe(true);
      const inventory = await api.call("GET", "/provider/inventory", { key: host.key });
      expect(inventory.body.inventory[0].allocated).toEqual({
        gpu: 0,
        cpuMillicores: 0,
        memoryBytes: 0,
        storageBytes: 0,
      });
    }
  }, 60_000);

  it("only offers signedBy orders to providers audited by a named auditor", async () => {
    const tenant = await api.signUp(["tenant"]);
    const audited = await api.provider();
    const unaudited = await api.provider();
    await queryRows(`UPDATE provider SET "auditedBy" = ARRAY['akash1auditor'] WHERE id = $1`, [
      audited.provider.id,
    ]);
    const sdl = gpuSdl().replace(
      "  placement:\n    dc:\n",
      "  placement:\n    dc:\n      signedBy:\n        anyOf:\n          - akash1auditor\n",
    );
    const posted = await postDeployment(tenant.key, { sdl });
    expect(posted.status).toBe(201);
    expect(posted.body.orders[0].signedBy).toEqual({ allOf: [], anyOf: ["akash1auditor"] });
    const orderId = posted.body.orders[0].id as string;
    const seenBy = async (key: string) =>
      (await api.call("GET", "/orders?state=open", { key })).body.orders.map((o: { id: string }) => o.id);
    expect(await seenBy(audited.key)).toContain(orderId);
    expect(await seenBy(unaudited.key)).not.toContain(orderId);
  });

  it("replays a repeated Idempotency-Key instead of posting twice", async () => {
    const tenant = await api.signUp(["tenant"]);
    const key = randomUUID();
    const first = await api.call("POST", "/deployments", {
      key: tenant.key,
      body: { sdl: gpuSdl() },
      headers: { "idempotency-key": key },
    });
    const second = await api.call("POST", "/deployments", {
      key: tenant.key,
      body: { sdl: gpuSdl() },
      headers: { "idempotency-key": key },
    });
    expect(first.status).toBe(201);
    expect(second.body.deployment.id).toBe(first.body.deployment.id);
    const rows = await queryRows(`SELECT id FROM deployment WHERE "tenantId" = $1`, [tenant.account.id]);
    expect(rows).toHaveLength(1);
  });

  it("checks an SDL without storing anything", async () => {
    const tenant = await api.signUp(["tenant"]);
    const before = await marketSnapshot([tenant.account.id]);
    const valid = await api.call("POST", "/sdl/check", { key: tenant.key, body: { sdl: llamaSdl } });
    expect(valid.status).toBe(200);
    expect(valid.body).toMatchObject({
      valid: true,
      groups: 1,
      manifestVersion: expectedLlamaVersion,
      errors: [],
    });
    expect(valid.body.orders[0]).toMatchObject({ groupName: "dcloud", maxPricePerHour: "600.000000" });
    const invalid = await api.call("POST", "/sdl/check", {
      key: tenant.key,
      body: { sdl: gpuSdl({ cpuUnits: "-2" }) },
    });
    expect(invalid.status).toBe(200);
    expect(invalid.body.valid).toBe(false);
    expect(invalid.body.errors[0]).toMatchObject({
      path: "profiles.compute.web.resources.cpu.units",
      line: lineOf(gpuSdl({ cpuUnits: "-2" }), "units: -2"),
    });
    expect(await marketSnapshot([tenant.account.id])).toEqual(before);
  });

  it("lists the template gallery publicly, each template a valid SDL", async () => {
    const gallery = await api.call("GET", "/templates");
    expect(gallery.status).toBe(200);
    const slugs = gallery.body.templates.map((t: { slug: string }) => t.slug);
    expect(slugs.length).toBeGreaterThanOrEqual(5);
    const tenant = await api.signUp(["tenant"]);
    for (const template of gallery.body.templates) {
      const checked = await api.call("POST", "/sdl/check", { key: tenant.key, body: { sdl: template.sdl } });
      expect(checked.body.valid, template.slug).toBe(true);
      expect(typeof template.estimateBasis).toBe("string");
    }
  });
});

describe("auto-accept", () => {
  it("accepts the cheapest fitting bid once the window has passed, not before", async () => {
    const tenant = await api.signUp(["tenant"]);
    const cheap = await api.provider();
    const dear = await api.provider();
    const posted = await postDeployment(tenant.key, {
      sdl: gpuSdl(),
      autoAccept: true,
      autoAcceptSeconds: 5,
    });
    expect(posted.body.deployment).toMatchObject({ autoAccept: true, autoAcceptSeconds: 5 });
    const orderId = posted.body.orders[0].id as string;
    await api.placeBid(dear.key, orderId, "2.500000");
    const cheapBid = await api.placeBid(cheap.key, orderId, "1.900000");
    const createdAt = new Date(
      (await queryRows<{ createdAt: Date }>(`SELECT "createdAt" FROM "order" WHERE id = $1`, [orderId]))[0]!
        .createdAt,
    );

    const early = await runAutoAccept(new Date(createdAt.getTime() + 4_000));
    expect(early.filter((lease) => lease.orderId === orderId)).toEqual([]);

    const due = new Date(createdAt.getTime() + 5_000);
    const [first, second] = await Promise.all([runAutoAccept(due), runAutoAccept(due)]);
    const leases = [...first, ...second].filter((lease) => lease.orderId === orderId);
    expect(leases).toHaveLength(1);
    expect(leases[0]).toMatchObject({ bidId: cheapBid.id, pricePerHour: 1_900_000n });
    const rows = await queryRows(`SELECT id FROM lease WHERE "orderId" = $1`, [orderId]);
    expect(rows).toHaveLength(1);
  });

  it("passes over a cheapest bid whose provider no longer has room", async () => {
    const tenant = await api.signUp(["tenant"]);
    const small = await api.provider({
      inventory: [{ gpu: { vendor: "nvidia", model: "h100", memoryGiB: 80, interface: "sxm", count: 1 } }],
    });
    const big = await api.provider();
    const posted = await postDeployment(tenant.key, {
      sdl: gpuSdl(),
      autoAccept: true,
      autoAcceptSeconds: 1,
    });
    const orderId = posted.body.orders[0].id as string;
    await api.placeBid(small.key, orderId, "1.000000");
    const fallback = await api.placeBid(big.key, orderId, "2.000000");
    // The small provider's only GPU goes to another tenant's order meanwhile.
    const other = await api.signUp(["tenant"]);
    const otherOrder = await api.postOrder(other.key);
    await api.acceptBid(other.key, (await api.placeBid(small.key, otherOrder.id, "1.500000")).id);

    const leases = await runAutoAccept(new Date(Date.now() + 2_000));
    expect(leases.find((lease) => lease.orderId === orderId)?.bidId).toBe(fallback.id);
  });

  it("leaves deployments without auto-accept alone", async () => {
    const tenant = await api.signUp(["tenant"]);
    const host = await api.provider();
    const posted = await postDeployment(tenant.key, { sdl: gpuSdl() });
    const orderId = posted.body.orders[0].id as string;
    await api.placeBid(host.key, orderId, "1.000000");
    const leases = await runAutoAccept(new Date(Date.now() + 3_600_000));
    expect(leases.find((lease) => lease.orderId === orderId)).toBeUndefined();
  });
});

describe("bad deployments change nothing", () => {
  const aliasBomb = [
    'a: &a ["x","x","x","x","x","x","x","x","x"]',
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]",
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]",
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]",
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]",
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]",
    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]",
  ].join("\n");

  const cases: { name: string; body: () => Record<string, unknown>; status: number; field: RegExp }[] = [
    {
      name: "malformed YAML",
      body: () => ({ sdl: 'version: "2.0"\nservices:\n  web: [\n' }),
      status: 422,
      field: /^sdl/,
    },
    {
      name: "an unknown top-level field",
      body: () => ({ sdl: `${gpuSdl()}colour: blue\n` }),
      status: 422,
      field: /^sdl\.colour$/,
    },
    {
      name: "an unknown service field",
      body: () => ({ sdl: gpuSdl().replace("    image: vllm", "    restart: always\n    image: vllm") }),
      status: 422,
      field: /^sdl\.services\.web/,
    },
    {
      name: "a missing profile",
      body: () => ({ sdl: gpuSdl().replace("      profile: web", "      profile: nope") }),
      status: 422,
      field: /^sdl\.(profiles|deployment)/,
    },
    {
      name: "a service without a deployment",
      body: () => ({ sdl: gpuSdl().replace(/deployment:\n[\s\S]*$/, "deployment: {}\n") }),
      status: 422,
      field: /^sdl\.deployment/,
    },
    {
      name: "negative CPU",
      body: () => ({ sdl: gpuSdl({ cpuUnits: "-2" }) }),
      status: 422,
      field: /^sdl\.profiles\.compute\.web\.resources\.cpu\.units$/,
    },
    {
      name: "absurd CPU",
      body: () => ({ sdl: gpuSdl({ cpuUnits: "1000000" }) }),
      status: 422,
      field: /^sdl\.profiles\.compute\.web\.resources\.cpu\.units$/,
    },
    {
      name: "absurd memory",
      body: () => ({ sdl: gpuSdl().replace("size: 32Gi", "size: 999999Ti") }),
      status: 422,
      field: /^sdl\.profiles\.compute\.web\.resources\.memory/,
    },
    { name: "a YAML alias bomb", body: () => ({ sdl: aliasBomb }), status: 422, field: /^sdl/ },
    {
      name: "an SDL over 1 MiB",
      body: () => ({ sdl: `${gpuSdl()}#${"x".repeat(1024 * 1024)}\n` }),
      status: 422,
      field: /^sdl$/,
    },
    { name: "an empty SDL", body: () => ({ sdl: "" }), status: 422, field: /^sdl$/ },
    {
      name: "SDL that is not a string",
      body: () => ({ sdl: { version: "2.0" } }),
      status: 422,
      field: /^sdl$/,
    },
    { name: "no SDL", body: () => ({}), status: 422, field: /^sdl$/ },
    {
      name: "an unknown body field",
      body: () => ({ sdl: gpuSdl(), extra: 1 }),
      status: 422,
      field: /^extra$/,
    },
    {
      name: "a max price for a group the SDL lacks",
      body: () => ({ sdl: gpuSdl(), maxPricePerHour: { nowhere: "1.00" } }),
      status: 422,
      field: /^maxPricePerHour\.nowhere$/,
    },
    {
      name: "a negative max price",
      body: () => ({ sdl: gpuSdl(), maxPricePerHour: { dc: "-1" } }),
      status: 422,
      field: /^maxPricePerHour\.dc$/,
    },
    {
      name: "an auto-accept window out of range",
      body: () => ({ sdl: gpuSdl(), autoAccept: true, autoAcceptSeconds: 0 }),
      status: 422,
      field: /^autoAcceptSeconds$/,
    },
    {
      name: "a denomination with no dollar price",
      body: () => ({
        sdl: gpuSdl().replace(
          "denom: uact",
          "denom: ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2",
        ),
      }),
      status: 422,
      field: /^sdl\.profiles\.placement\.dc\.pricing\.web/,
    },
  ];

  it.each(cases)("refuses $name with a 4xx naming the field", async ({ body, status, field }) => {
    const tenant = await api.signUp(["tenant"]);
    const before = await marketSnapshot([tenant.account.id]);
    // No Idempotency-Key: a refused request's key is remembered (for its replay), which is not a change.
    const response = await api.call("POST", "/deployments", { key: tenant.key, body: body() });
    expect(response.status, JSON.stringify(response.body)).toBe(status);
    expect(response.body.error.fields.map((f: { path: string }) => f.path)).toEqual(
      expect.arrayContaining([expect.stringMatching(field)]),
    );
    expect(await marketSnapshot([tenant.account.id])).toEqual(before);
  });

  it("gives the YAML line of each SDL error", async () => {
    const tenant = await api.signUp(["tenant"]);
    const sdl = gpuSdl({ cpuUnits: "-2" });
    const line = lineOf(sdl, "units: -2");
    const response = await postDeployment(tenant.key, { sdl });
    expect(response.body.error.fields[0]).toMatchObject({
      path: "sdl.profiles.compute.web.resources.cpu.units",
      line,
    });
    expect(response.body.error.message).toContain(`line ${line}`);
  });

  it("refuses providers posting deployments", async () => {
    const host = await api.provider();
    const response = await postDeployment(host.key, { sdl: gpuSdl() });
    expect(response.status).toBe(403);
  });
});

describe("the bidcloud CLI", () => {
  function runCli(args: string[], env: Record<string, string>) {
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ["bin/bidcloud.mjs", ...args], {
        env: { ...process.env, ...env },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
  }

  it("deploys an SDL file with an API key and prints the deployment and its orders", async () => {
    const tenant = await api.signUp(["tenant"]);
    const dir = await mkdtemp(path.join(tmpdir(), "bidcloud-cli-"));
    const file = path.join(dir, "deploy.yaml");
    await writeFile(file, gpuSdl({ twoGroups: true }));
    const result = await runCli(["deploy", file, "--json"], {
      BIDCLOUD_URL: server.baseUrl,
      BIDCLOUD_API_KEY: tenant.key,
    });
    expect(result.code, result.stderr).toBe(0);
    const printed = JSON.parse(result.stdout) as { deployment: { id: string }; orders: unknown[] };
    expect(printed.orders).toHaveLength(2);
    const rows = await queryRows(`SELECT id FROM deployment WHERE "tenantId" = $1`, [tenant.account.id]);
    expect(rows.map((row) => row.id)).toEqual([printed.deployment.id]);

    const human = await runCli(["deploy", file], {
      BIDCLOUD_URL: server.baseUrl,
      BIDCLOUD_API_KEY: tenant.key,
    });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/edge/);
  }, 60_000);

  it("exits 1 with the API's field errors for an invalid SDL, and 2 without an API key", async () => {
    const tenant = await api.signUp(["tenant"]);
    const dir = await mkdtemp(path.join(tmpdir(), "bidcloud-cli-"));
    const file = path.join(dir, "bad.yaml");
    await writeFile(file, gpuSdl({ cpuUnits: "-2" }));
    const invalid = await runCli(["deploy", file], {
      BIDCLOUD_URL: server.baseUrl,
      BIDCLOUD_API_KEY: tenant.key,
    });
    expect(invalid.code).toBe(1);
    expect(invalid.stdout + invalid.stderr).toContain("profiles.compute.web.resources.cpu.units");
    const noKey = await runCli(["deploy", file], { BIDCLOUD_URL: server.baseUrl, BIDCLOUD_API_KEY: "" });
    expect(noKey.code).toBe(2);
  }, 60_000);
});
