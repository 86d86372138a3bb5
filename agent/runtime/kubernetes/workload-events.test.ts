import type { CoreV1Event } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { eventOccurrenceKey, workloadEvent } from "./workload-events";

function event(overrides: Partial<CoreV1Event> = {}): CoreV1Event {
  return {
    metadata: { name: "web-7d9c.17a", uid: "e1", resourceVersion: "10" },
    involvedObject: { kind: "Pod", name: "web-7d9cf5b8c4-x2k4q" },
    reason: "Started",
    message: "Started container web",
    type: "Normal",
    lastTimestamp: new Date("2025-05-01T10:00:00Z"),
    ...overrides,
  };
}

const context = {
  services: new Set(["web", "web-api"]),
  podServices: new Map([["web-api-5b8c4d7f9-abcde", "web-api"]]),
  now: new Date("2025-05-01T12:00:00Z"),
};

describe("workloadEvent", () => {
  it("carries type, reason, message and time, and finds the service of a pod by its labels or its name", () => {
    expect(workloadEvent(event(), context)).toEqual({
      at: "2025-05-01T10:00:00.000Z",
      type: "normal",
      reason: "Started",
      message: "Started container web",
      service: "web",
    });
    const labelled = event({ involvedObject: { kind: "Pod", name: "web-api-5b8c4d7f9-abcde" } });
    expect(workloadEvent(labelled, context).service).toBe("web-api");
  });

  it("finds the service of a ReplicaSet and a Deployment, and leaves out anything else", () => {
    const of = (kind: string, name: string) =>
      workloadEvent(event({ involvedObject: { kind, name } }), context).service;
    expect(of("ReplicaSet", "web-api-5b8c4d7f9")).toBe("web-api");
    expect(of("Deployment", "web")).toBe("web");
    expect(of("Service", "web")).toBeUndefined();
    expect(of("Pod", "other-5b8c4d7f9-abcde")).toBeUndefined();
  });

  it("marks warnings, cuts long text, and stands in the current time for an event without any", () => {
    const loud = workloadEvent(
      event({
        type: "Warning",
        reason: "R".repeat(100),
        message: "m".repeat(2000),
        lastTimestamp: undefined,
      }),
      context,
    );
    expect(loud.type).toBe("warning");
    expect(loud.reason).toHaveLength(64);
    expect(loud.message).toHaveLength(1024);
    expect(loud.at).toBe("2025-05-01T12:00:00.000Z");
  });

  it("counts a repeat of an event (a new resource version of the same object) as a new occurrence", () => {
    const again = event({ metadata: { ...event().metadata, resourceVersion: "11" }, count: 2 });
    expect(eventOccurrenceKey(again)).not.toBe(eventOccurrenceKey(event()));
  });
});
