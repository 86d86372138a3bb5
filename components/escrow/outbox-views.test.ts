import { describe, expect, it } from "vitest";
import { outboxStatuses, outboxViewCount } from "./outbox-views";

const counts = { pending: 2, signed: 1, submitted: 3, confirmed: 40, failed: 1 };

describe("outbox views", () => {
  it("lists everything but confirmed writes by default", () => {
    expect(outboxStatuses("unfinished")).toEqual(["pending", "signed", "submitted", "failed"]);
    expect(outboxViewCount("unfinished", counts)).toBe(7);
  });

  it("narrows to one status, or lists all", () => {
    expect(outboxStatuses("failed")).toEqual(["failed"]);
    expect(outboxViewCount("failed", counts)).toBe(1);
    expect(outboxStatuses("all")).toBeUndefined();
    expect(outboxViewCount("all", counts)).toBe(47);
  });
});
