import { describe, expect, it } from "vitest";
import {
  evaluateCheck,
  heartbeatProblem,
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
  it("needs status running when the lease has no manifest to name services", () => {
    const bare = { ...running, expectedServices: [], servicesReady: [] };
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
