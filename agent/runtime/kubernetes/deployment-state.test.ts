import { describe, expect, it } from "vitest";
import { deploymentState, isNotOlder, isReady, serviceReport } from "./deployment-state";

function deployment(status: Record<string, number> | undefined, overrides: Record<string, unknown> = {}) {
  return {
    metadata: {
      name: "vllm",
      namespace: "bidcloud-lease-1",
      generation: 2,
      resourceVersion: "42",
      labels: { "bidcloud.io/service": "vllm" },
      ...overrides,
    },
    spec: { replicas: 2 },
    ...(status ? { status } : {}),
  };
}

const settled = { observedGeneration: 2, updatedReplicas: 2, readyReplicas: 2 };

describe("deployment readiness", () => {
  it("is ready when the controller has seen the current spec and every replica is updated and ready", () => {
    const state = deploymentState(deployment(settled));
    expect(state && isReady(state)).toBe(true);
    expect(state && serviceReport(state, ["http://a.example"])).toEqual({
      name: "vllm",
      ready: true,
      replicas: 2,
      readyReplicas: 2,
      uris: ["http://a.example"],
    });
  });

  it.each([
    ["no status yet", undefined],
    ["a status of the previous spec", { ...settled, observedGeneration: 1 }],
    ["one replica not ready", { ...settled, readyReplicas: 1 }],
    ["old replicas still counted ready", { ...settled, updatedReplicas: 1 }],
  ])("is not ready with %s", (_title, status) => {
    const state = deploymentState(deployment(status));
    expect(state && isReady(state)).toBe(false);
  });

  it("is not ready while being deleted, and ignores objects that are not Deployments", () => {
    const deleting = deploymentState(deployment(settled, { deletionTimestamp: "2025-05-01T10:00:00Z" }));
    expect(deleting && isReady(deleting)).toBe(false);
    expect(deploymentState({ kind: "Status", code: 410 })).toBeNull();
  });

  it("orders numeric resource versions and accepts anything it cannot compare", () => {
    expect(isNotOlder("100", "99")).toBe(true);
    expect(isNotOlder("99", "100")).toBe(false);
    expect(isNotOlder("abc", "100")).toBe(true);
  });
});
