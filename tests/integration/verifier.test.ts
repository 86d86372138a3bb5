import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { generatePrivateKey } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { runVerifierChecks, verifierSettings } from "@/lib/verify/run-checks";
import { apiClient, sdlInput } from "../support/api-client";
import { startApiServer } from "../support/api-server";
import { signedHeartbeat, signingKeyProof } from "../support/heartbeats";

/**
 * The verifier on real PostgreSQL through the real API: signing keys, heartbeats (and the
 * forged, replayed, stale and wrong-provider ones it must refuse without a trace), checks
 * that count verified time only while heartbeat and probes are good, and the unstable and
 * manifest_timeout closes.
 */
let server: Awaited<ReturnType<typeof startApiServer>>;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  server = await startApiServer();
  api = apiClient(server.baseUrl);
});

afterAll(async () => {
  await server?.close();
});

/** A provider with a registered signing key, a tenant, and a lease of an SDL deployment between them. */
async function leaseWithAgentKey() {
  const provider = await api.provider();
  const signingKey = generatePrivateKey();
  const registered = await api.call("PUT", "/provider/signing-key", {
    key: provider.key,
    body: await signingKeyProof(signingKey, provider.provider.id),
  });
  expect(registered.status).toBe(200);
  const tenant = await api.signUp(["tenant"]);
  const posted = await api.call("POST", "/deployments", { key: tenant.key, body: { sdl: sdlInput() } });
  expect(posted.status).toBe(201);
  const bid = await api.placeBid(provider.key, posted.body.orders[0].id, "2.000000");
  const lease = await api.acceptBid(tenant.key, bid.id);
  return { provider, signingKey, tenant, lease };
}

/** What a refused heartbeat must leave untouched. */
async function traces(leaseId: string) {
  const verification = await db().leaseVerification.findUnique({ where: { leaseId } });
  return {
    lastSequence: verification?.lastSequence ?? null,
    heartbeats: verification?.heartbeatCount ?? 0,
    status: verification?.status ?? null,
    events: await db().leaseEvent.count({ where: { leaseId } }),
    logs: await db().leaseLog.count({ where: { leaseId } }),
  };
}

const report = (uri: string) => ({
  status: "running" as const,
  services: [{ name: "web", ready: true, replicas: 1, readyReplicas: 1, uris: [uri] }],
  events: [
    { at: new Date().toISOString(), type: "normal" as const, reason: "Started", message: "web started" },
  ],
  logs: [{ at: new Date().toISOString(), service: "web", line: "listening on :80" }],
});

/** A stand-in service endpoint the verifier can probe; `healthy` decides its answer. */
async function probeTarget() {
  let healthy = true;
  const endpoint: Server = createServer((_req, res) => {
    res.writeHead(healthy ? 200 : 503).end(healthy ? "ok" : "down");
  });
  await new Promise<void>((resolve) => endpoint.listen(0, "127.0.0.1", resolve));
  const uri = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`;
  return {
    uri,
    setHealthy: (value: boolean) => {
      healthy = value;
    },
    close: () => new Promise<void>((resolve) => endpoint.close(() => resolve())),
  };
}

describe("signing keys", () => {
  it("registers a key only with its own proof for this provider", async () => {
    const provider = await api.provider();
    const other = await api.provider();
    const key = generatePrivateKey();
    const proofForOther = await signingKeyProof(key, other.provider.id);
    const refused = await api.call("PUT", "/provider/signing-key", {
      key: provider.key,
      body: proofForOther,
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.fields[0].path).toBe("signature");
    const malformed = await api.call("PUT", "/provider/signing-key", {
      key: provider.key,
      body: { address: "0x12", signature: proofForOther.signature },
    });
    expect(malformed.status).toBe(422);
    expect(JSON.stringify(malformed.body.error.fields)).toContain("address");
    expect(
      (await api.call("GET", "/provider", { key: provider.key })).body.provider.signingAddress,
    ).toBeNull();

    const proof = await signingKeyProof(key, provider.provider.id);
    const registered = await api.call("PUT", "/provider/signing-key", { key: provider.key, body: proof });
    expect(registered.status).toBe(200);
    expect(registered.body.provider.signingAddress).toBe(proof.address.toLowerCase());
  });
});

describe("heartbeats", () => {
  it("accepts a signed heartbeat and records its report; refuses forged, replayed, stale, tampered and wrong-provider ones without a trace", async () => {
    const { provider, signingKey, tenant, lease } = await leaseWithAgentKey();
    const good = await signedHeartbeat(signingKey, lease.id, {
      sequence: 1000,
      servicesReady: ["web"],
      report: report("http://127.0.0.1:9"),
    });
    const accepted = await api.call("POST", `/leases/${lease.id}/heartbeats`, {
      key: provider.key,
      body: good,
    });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ accepted: true, sequence: 1000 });
    const after = await traces(lease.id);
    expect(after).toEqual({ lastSequence: 1000n, heartbeats: 1, status: "running", events: 1, logs: 1 });
    const seen = await api.call("GET", `/leases/${lease.id}`, { key: tenant.key });
    expect(seen.body.lease.workload).toMatchObject({
      status: "running",
      services: [{ name: "web", ready: true }],
    });

    const refusals: Array<[string, { status: number; field: string }, Record<string, unknown>, string?]> = [
      // Signed by a key that is not the provider's.
      [
        "forged",
        { status: 403, field: "signature" },
        await signedHeartbeat(generatePrivateKey(), lease.id, {
          sequence: 2000,
          report: report("http://x.test"),
        }),
      ],
      // The very same heartbeat again.
      ["replayed", { status: 409, field: "heartbeat.sequence" }, good],
      // A lower sequence, properly signed.
      [
        "old sequence",
        { status: 409, field: "heartbeat.sequence" },
        await signedHeartbeat(signingKey, lease.id, { sequence: 999 }),
      ],
      // Signed now but dated two minutes ago.
      [
        "stale",
        { status: 422, field: "heartbeat.time" },
        await signedHeartbeat(signingKey, lease.id, {
          sequence: 3000,
          time: Math.floor(Date.now() / 1000) - 120,
        }),
      ],
      // A good signature over a report that was swapped afterwards.
      [
        "tampered report",
        { status: 422, field: "report" },
        {
          ...(await signedHeartbeat(signingKey, lease.id, { sequence: 4000 })),
          report: JSON.stringify({ status: "running", services: [], events: [], logs: [] }) + " ",
        },
      ],
      // Claims a service ready that its own report says is not.
      [
        "inconsistent",
        { status: 422, field: "heartbeat.servicesReady" },
        await signedHeartbeat(signingKey, lease.id, { sequence: 5000, servicesReady: ["web"] }),
      ],
      // A URI on somebody else's server: probing it would prove nothing about this provider.
      [
        "foreign URI",
        { status: 422, field: "report.services.0.uris.0" },
        await signedHeartbeat(signingKey, lease.id, {
          sequence: 2500,
          servicesReady: ["web"],
          report: report("https://example.com/"),
        }),
      ],
      // A timestamp no database holds.
      [
        "year zero",
        { status: 422, field: "report.logs.0.at" },
        await signedHeartbeat(signingKey, lease.id, {
          sequence: 2600,
          report: { logs: [{ at: "0000-01-01T00:00:00Z", service: "web", line: "x" }] },
        }),
      ],
      // Another lease's id inside the signed heartbeat.
      [
        "other lease",
        { status: 422, field: "heartbeat.leaseId" },
        await signedHeartbeat(signingKey, "0190f0f0-0000-7000-8000-000000000000", { sequence: 6000 }),
      ],
    ];
    for (const [name, expected, body] of refusals) {
      const response = await api.call("POST", `/leases/${lease.id}/heartbeats`, { key: provider.key, body });
      expect(response.status, name).toBe(expected.status);
      expect(
        (response.body.error.fields as { path: string }[]).map((field) => field.path),
        name,
      ).toContain(expected.field);
      expect(await traces(lease.id), name).toEqual(after);
    }

    // Another provider, with its own registered key, cannot report for this lease.
    const intruder = await api.provider();
    const intruderKey = generatePrivateKey();
    await api.call("PUT", "/provider/signing-key", {
      key: intruder.key,
      body: await signingKeyProof(intruderKey, intruder.provider.id),
    });
    const wrongProvider = await api.call("POST", `/leases/${lease.id}/heartbeats`, {
      key: intruder.key,
      body: await signedHeartbeat(intruderKey, lease.id, { sequence: 7000 }),
    });
    expect(wrongProvider.status).toBe(403);
    // Nor can the tenant.
    const byTenant = await api.call("POST", `/leases/${lease.id}/heartbeats`, {
      key: tenant.key,
      body: await signedHeartbeat(signingKey, lease.id, { sequence: 8000 }),
    });
    expect(byTenant.status).toBe(403);
    expect(await traces(lease.id)).toEqual(after);

    // Malformed bodies name the field.
    const malformed = await api.call("POST", `/leases/${lease.id}/heartbeats`, {
      key: provider.key,
      body: { ...good, signature: "0xzz" },
    });
    expect(malformed.status).toBe(422);
    expect(JSON.stringify(malformed.body.error.fields)).toContain("signature");
    expect(await traces(lease.id)).toEqual(after);
  });

  it("refuses heartbeats for a closed lease, telling the agent to stop", async () => {
    const { provider, signingKey, tenant, lease } = await leaseWithAgentKey();
    expect((await api.call("POST", `/leases/${lease.id}/close`, { key: tenant.key })).status).toBe(200);
    const response = await api.call("POST", `/leases/${lease.id}/heartbeats`, {
      key: provider.key,
      body: await signedHeartbeat(signingKey, lease.id, { sequence: 1 }),
    });
    expect(response.status).toBe(409);
    expect(response.body.error.message).toMatch(/closed/);
  });
});

describe("checks", () => {
  // Checks run at made-up times ahead of the clock; heartbeats are stamped by the real one, so
  // they stay fresh for 25 s of those.
  const settings = {
    ...verifierSettings(),
    intervalSeconds: 5,
    heartbeatTtlSeconds: 25,
    maxFailures: 3,
    probeTimeoutMs: 1_000,
  };

  it("counts time only between good checks, records the uptime and closes an unstable lease", async () => {
    const { provider, signingKey, tenant, lease } = await leaseWithAgentKey();
    const target = await probeTarget();
    try {
      let sequence = 1;
      const beat = async (at: Date) => {
        const response = await api.call("POST", `/leases/${lease.id}/heartbeats`, {
          key: provider.key,
          body: await signedHeartbeat(signingKey, lease.id, {
            sequence: sequence++,
            time: Math.floor(at.getTime() / 1000),
            servicesReady: ["web"],
            report: report(target.uri),
          }),
        });
        expect(response.status).toBe(202);
      };
      const check = (at: Date) => runVerifierChecks(at, settings, { only: [lease.id] });
      const start = new Date();
      const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);

      await beat(start);
      expect(await check(at(1))).toEqual({ checked: 1, verified: 1, closed: 0 });
      await check(at(6));
      await check(at(11));
      let row = await db().leaseVerification.findUniqueOrThrow({ where: { leaseId: lease.id } });
      // Two stretches between good checks: 5 s + 5 s. The first check only starts the count.
      expect(row.verifiedMillis).toBe(10_000n);
      expect(row.firstVerifiedAt).toEqual(at(1));

      // The endpoint fails: the heartbeat is still fresh, the probe is not good.
      target.setHealthy(false);
      await check(at(14));
      row = await db().leaseVerification.findUniqueOrThrow({ where: { leaseId: lease.id } });
      expect(row.verifiedMillis).toBe(10_000n);
      expect(row.failureStreak).toBe(1);
      expect(row.lastProbeOk).toBe(false);

      // A check less than half an interval after the last one is left to the next round.
      expect(await check(at(15))).toEqual({ checked: 0, verified: 0, closed: 0 });
      // Healthy again: the first good check restarts the count, the next one adds.
      target.setHealthy(true);
      await check(at(17));
      await check(at(20));
      row = await db().leaseVerification.findUniqueOrThrow({ where: { leaseId: lease.id } });
      expect(row.verifiedMillis).toBe(13_000n);
      expect(row.failureStreak).toBe(0);

      // The heartbeat goes quiet (the agent died): three failed checks close the lease.
      await check(at(40));
      await check(at(45));
      expect(await check(at(50))).toEqual({ checked: 1, verified: 0, closed: 1 });
      const closed = await api.call("GET", `/leases/${lease.id}`, { key: tenant.key });
      expect(closed.body.lease).toMatchObject({ state: "closed", closeReason: "unstable" });

      const verification = await api.call("GET", `/leases/${lease.id}/verification`, { key: tenant.key });
      expect(verification.status).toBe(200);
      const view = verification.body.verification;
      expect(view.verifiedSeconds).toBe(13);
      expect(view.uptime.map((stretch: { verified: boolean }) => stretch.verified)).toEqual([
        true,
        false,
        true,
        false,
      ]);
      expect(view.uptime[1].reason).toMatch(/probe failed: .* answered 503/);
      expect(view.uptime[3].reason).toMatch(/no heartbeat in the last \d+ s/);
      const reasons = view.events.map((event: { reason: string }) => event.reason);
      expect(reasons).toContain("ClosedUnstable");
      expect(reasons).toContain("Started");

      // The provider sees it in its record; a stranger sees nothing.
      const record = await api.call("GET", "/provider/verification", { key: provider.key });
      expect(record.body.leases[0]).toMatchObject({
        leaseId: lease.id,
        verifiedSeconds: 13,
        failedChecks: 4,
      });
      expect(record.body.totals.closedUnstable).toBe(1);
      const stranger = await api.signUp(["tenant"]);
      expect((await api.call("GET", `/leases/${lease.id}/verification`, { key: stranger.key })).status).toBe(
        404,
      );
    } finally {
      await target.close();
    }
  });

  it("does not verify a globally exposed service that reports no URI to probe", async () => {
    const { provider, signingKey, tenant, lease } = await leaseWithAgentKey();
    const noUri = {
      status: "running" as const,
      services: [{ name: "web", ready: true, replicas: 1, readyReplicas: 1, uris: [] }],
      events: [],
      logs: [],
    };
    const beat = await api.call("POST", `/leases/${lease.id}/heartbeats`, {
      key: provider.key,
      body: await signedHeartbeat(signingKey, lease.id, {
        sequence: 1,
        servicesReady: ["web"],
        report: noUri,
      }),
    });
    expect(beat.status).toBe(202);
    const row = await db().leaseVerification.findUniqueOrThrow({ where: { leaseId: lease.id } });
    expect(row).toMatchObject({ expectedServices: ["web"], globalServices: ["web"] });
    const start = new Date();
    expect(await runVerifierChecks(start, settings, { only: [lease.id] })).toEqual({
      checked: 1,
      verified: 0,
      closed: 0,
    });
    const view = (await api.call("GET", `/leases/${lease.id}/verification`, { key: tenant.key })).body
      .verification;
    expect(view.uptime[0]).toMatchObject({ verified: false, reason: "no URI reported for web" });
  });

  it("counts a stretch once when two verifier rounds check the same lease at the same time", async () => {
    const { provider, signingKey, lease } = await leaseWithAgentKey();
    const target = await probeTarget();
    try {
      const start = new Date();
      const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
      const beat = await api.call("POST", `/leases/${lease.id}/heartbeats`, {
        key: provider.key,
        body: await signedHeartbeat(signingKey, lease.id, {
          sequence: 1,
          servicesReady: ["web"],
          report: report(target.uri),
        }),
      });
      expect(beat.status).toBe(202);
      await runVerifierChecks(at(1), settings, { only: [lease.id] });
      // Two servers' rounds at once: one of them counts the 5 s, the other finds it counted.
      const rounds = await Promise.all([
        runVerifierChecks(at(6), settings, { only: [lease.id] }),
        runVerifierChecks(at(6), settings, { only: [lease.id] }),
      ]);
      expect(rounds.map((round) => round.checked).sort()).toEqual([0, 1]);
      const row = await db().leaseVerification.findUniqueOrThrow({ where: { leaseId: lease.id } });
      expect(row.verifiedMillis).toBe(5_000n);
      expect(row.checkCount).toBe(2);
    } finally {
      await target.close();
    }
  });

  it("closes a lease as manifest_timeout when nothing was verified running in time", async () => {
    const { tenant, lease } = await leaseWithAgentKey();
    const opened = (await db().lease.findUniqueOrThrow({ where: { id: lease.id } })).createdAt;
    const timeout = settings.manifestTimeoutSeconds;
    const check = (seconds: number) =>
      runVerifierChecks(new Date(opened.getTime() + seconds * 1000), settings, { only: [lease.id] });
    expect(await check(timeout - 10)).toEqual({ checked: 1, verified: 0, closed: 0 });
    expect(await check(timeout + 1)).toEqual({ checked: 1, verified: 0, closed: 1 });
    const closed = await api.call("GET", `/leases/${lease.id}`, { key: tenant.key });
    expect(closed.body.lease).toMatchObject({ state: "closed", closeReason: "manifest_timeout" });
    expect(
      (await db().leaseVerification.findUniqueOrThrow({ where: { leaseId: lease.id } })).verifiedMillis,
    ).toBe(0n);
  });

  it("serves a lease's logs after a cursor to its parties", async () => {
    const { provider, signingKey, tenant, lease } = await leaseWithAgentKey();
    const logs = Array.from({ length: 5 }, (_, index) => ({
      at: new Date().toISOString(),
      service: "web",
      line: `line ${index}`,
    }));
    await api.call("POST", `/leases/${lease.id}/heartbeats`, {
      key: provider.key,
      body: await signedHeartbeat(signingKey, lease.id, { sequence: 1, report: { logs } }),
    });
    const newest = await api.call("GET", `/leases/${lease.id}/logs?limit=2`, { key: tenant.key });
    expect(newest.body.lines.map((line: { line: string }) => line.line)).toEqual(["line 3", "line 4"]);
    const first = await api.call("GET", `/leases/${lease.id}/logs?limit=100`, { key: provider.key });
    const cursor = first.body.lines[1].id as string;
    const rest = await api.call("GET", `/leases/${lease.id}/logs?after=${cursor}`, { key: tenant.key });
    expect(rest.body.lines.map((line: { line: string }) => line.line)).toEqual([
      "line 2",
      "line 3",
      "line 4",
    ]);
    expect(rest.body.cursor).toBe(first.body.lines[4].id);
    for (const after of ["abc", "9999999999999999999"]) {
      const bad = await api.call("GET", `/leases/${lease.id}/logs?after=${after}`, { key: tenant.key });
      expect(bad.status, after).toBe(422);
      expect(bad.body.error.fields[0].path).toBe("query.after");
    }
  });
});
