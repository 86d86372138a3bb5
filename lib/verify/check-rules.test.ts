import { describe, expect, it } from "vitest";
import {
  evaluateCheck,
  heartbeatProblem,
  MAX_PROBES_PER_LEASE,
  probeHostAllowed,
  probeTargets,
  receiptSeconds,
  type HeartbeatState,
} from "./check-rules";

const settings = { intervalSeconds: 5, heartbeatTtlSeconds: 15, maxFailures: 3, manifestTimeoutSeconds: 300 };
const t0 = new Date("2026-11-26T12:00:00Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const service = (name: string, ready: boolean, uris: string[] = []) => ({
  name,
  ready,
  replicas: 1,
  readyReplicas: ready ? 1 : 0,
  uris,
});

const running: HeartbeatState = {
  status: "running",
  lastHeartbeatAt: at(0),
  services: [service("web", true, ["http://a.test"]), service("db", true)],
  servicesReady: ["web", "db"],
  expectedServices: ["web", "db"],
  globalServices: ["web"],
};

describe("heartbeatProblem", () => {
  it("is good with a fresh heartbeat and every expected service ready", () => {
    expect(heartbeatProblem(running, at(15), settings)).toBeNull();
  });
  it("names what is wrong", () => {
    expect(heartbeatProblem({ ...running, lastHeartbeatAt: null }, at(1), settings)).toMatch(/no heartbeat/);
    expect(heartbeatProblem(running, at(16), settings)).toBe("no heartbeat in the last 15 s");
    expect(heartbeatProblem({ ...running, servicesReady: ["web"] }, at(1), settings)).toBe("not ready: db");
    expect(heartbeatProblem({ ...running, status: "manifest_rejected" }, at(1), settings)).toMatch(
      /refused the manifest/,
    );
    expect(heartbeatProblem({ ...running, status: "failed" }, at(1), settings)).toMatch(/failed/);
  });
  it("needs a URI for every globally exposed service, since that is what the probes check", () => {
    const hidden = { ...running, services: [service("web", true), service("db", true)] };
    expect(heartbeatProblem(hidden, at(1), settings)).toBe("no URI reported for web");
  });
  it("needs status running when the lease has no manifest to name services", () => {
    const bare = { ...running, expectedServices: [], servicesReady: [], globalServices: [] };
    expect(heartbeatProblem(bare, at(1), settings)).toBeNull();
    expect(heartbeatProblem({ ...bare, status: "deploying" }, at(1), settings)).toBe(
      "the workload is deploying",
    );
  });
});

describe("probeTargets", () => {
  it("probes the expected services' URIs once each, ignoring services outside the manifest", () => {
    const state = {
      ...running,
      services: [
        service("web", true, ["http://a.test", "http://a.test"]),
        service("db", true, ["http://b.test"]),
        service("extra", true, ["http://evil.test"]),
      ],
    };
    expect(probeTargets(state)).toEqual(["http://a.test", "http://b.test"]);
  });
});

describe("probeTargets limits", () => {
  it("probes at most MAX_PROBES_PER_LEASE URIs", () => {
    const uris = Array.from({ length: 40 }, (_, index) => `http://h${index}.a.test`);
    const state = {
      ...running,
      services: [service("web", true, uris.slice(0, 8)), service("db", true, uris.slice(8))],
    };
    expect(probeTargets(state)).toHaveLength(MAX_PROBES_PER_LEASE);
  });
});

describe("probeHostAllowed", () => {
  const provider = "https://provider.hopper.example:8443";
  it("allows the provider's host and hosts under its domain", () => {
    expect(probeHostAllowed("https://provider.hopper.example/x", provider, false)).toBe(true);
    expect(probeHostAllowed("http://web-1.ingress.hopper.example:8080", provider, false)).toBe(true);
  });
  it("refuses other hosts, look-alike suffixes, IP literals and non-URLs", () => {
    expect(probeHostAllowed("https://example.com", provider, false)).toBe(false);
    expect(probeHostAllowed("https://evilhopper.example", provider, false)).toBe(false);
    expect(probeHostAllowed("http://10.0.0.5:6379", provider, false)).toBe(false);
    expect(probeHostAllowed("http://[fd00::1]/", provider, false)).toBe(false);
    expect(probeHostAllowed("not a url", provider, false)).toBe(false);
  });
  it("allows loopback only when told to", () => {
    expect(probeHostAllowed("http://127.0.0.1:4000", provider, false)).toBe(false);
    expect(probeHostAllowed("http://localhost:4000", provider, false)).toBe(false);
    expect(probeHostAllowed("http://127.0.0.1:4000", provider, true)).toBe(true);
  });
  it("takes a two-label provider host as the domain itself", () => {
    expect(probeHostAllowed("https://a.provider.io", "https://provider.io", false)).toBe(true);
    expect(probeHostAllowed("https://other.io", "https://provider.io", false)).toBe(false);
  });
});

describe("evaluateCheck", () => {
  const fresh = { lastCheckAt: null, lastCheckVerified: false, failureStreak: 0, firstVerifiedAt: null };

  it("starts counting at the first good check and credits the stretch between good checks", () => {
    const first = evaluateCheck({ now: at(5), leaseOpenedAt: t0, problem: null, previous: fresh, settings });
    expect(first).toMatchObject({ verified: true, creditMillis: 0n, firstVerifiedAt: at(5), close: null });
    const second = evaluateCheck({
      now: at(10),
      leaseOpenedAt: t0,
      problem: null,
      previous: { lastCheckAt: at(5), lastCheckVerified: true, failureStreak: 0, firstVerifiedAt: at(5) },
      settings,
    });
    expect(second.creditMillis).toBe(5_000n);
  });

  it("credits at most twice the interval when the verifier itself stalled", () => {
    const outcome = evaluateCheck({
      now: at(100),
      leaseOpenedAt: t0,
      problem: null,
      previous: { lastCheckAt: at(5), lastCheckVerified: true, failureStreak: 0, firstVerifiedAt: at(5) },
      settings,
    });
    expect(outcome.creditMillis).toBe(10_000n);
  });

  it("credits nothing after a failed check, and closes as unstable after maxFailures once it had run", () => {
    const previous = {
      lastCheckAt: at(5),
      lastCheckVerified: false,
      failureStreak: 1,
      firstVerifiedAt: at(1),
    };
    const good = evaluateCheck({ now: at(10), leaseOpenedAt: t0, problem: null, previous, settings });
    expect(good).toMatchObject({ verified: true, creditMillis: 0n, failureStreak: 0 });
    const second = evaluateCheck({ now: at(10), leaseOpenedAt: t0, problem: "x", previous, settings });
    expect(second).toMatchObject({ verified: false, failureStreak: 2, close: null });
    const third = evaluateCheck({
      now: at(15),
      leaseOpenedAt: t0,
      problem: "x",
      previous: { ...previous, failureStreak: 2 },
      settings,
    });
    expect(third.close).toBe("unstable");
  });

  it("closes as manifest_timeout when nothing was verified by the timeout, not before", () => {
    const before = evaluateCheck({
      now: at(299),
      leaseOpenedAt: t0,
      problem: "x",
      previous: { ...fresh, failureStreak: 50 },
      settings,
    });
    expect(before.close).toBeNull();
    const after = evaluateCheck({ now: at(300), leaseOpenedAt: t0, problem: "x", previous: fresh, settings });
    expect(after.close).toBe("manifest_timeout");
  });
});

describe("receiptSeconds", () => {
  it("is whole verified seconds, never past the lease's time on chain", () => {
    expect(receiptSeconds(12_999n, 100)).toBe(12);
    expect(receiptSeconds(500_000n, 100)).toBe(100);
    expect(receiptSeconds(0n, 0)).toBe(0);
  });
});
