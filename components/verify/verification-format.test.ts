import { describe, expect, it } from "vitest";
import {
  appendLogLines,
  formatDuration,
  logTime,
  timeRange,
  uptimeSegments,
  verifiedPercent,
  verifiedSummary,
  workloadStatusView,
  type LogLineView,
} from "./verification-format";

const at = (seconds: number) => new Date(Date.UTC(2026, 10, 26, 12, 0, 0) + seconds * 1000);

describe("formatDuration", () => {
  it("shows whole seconds under a minute and never a negative time", () => {
    expect(formatDuration(0)).toBe("0 s");
    expect(formatDuration(45.9)).toBe("45 s");
    expect(formatDuration(-5)).toBe("0 s");
  });

  it("rounds minutes, hours and days down and leaves out a zero minor unit", () => {
    expect(formatDuration(60)).toBe("1 min");
    expect(formatDuration(14 * 60 + 59)).toBe("14 min");
    expect(formatDuration(3600)).toBe("1 h");
    expect(formatDuration(3600 + 5 * 60 + 59)).toBe("1 h 5 min");
    expect(formatDuration(86_400)).toBe("1 d");
    expect(formatDuration(2 * 86_400 + 3 * 3600 + 59 * 60)).toBe("2 d 3 h");
  });
});

describe("verifiedPercent", () => {
  it("rounds down, so a lease short of full verification never shows 100%", () => {
    expect(verifiedPercent(12 * 60, 14 * 60)).toBe(85);
    expect(verifiedPercent(999, 1000)).toBe(99);
    expect(verifiedPercent(1000, 1000)).toBe(100);
  });

  it("is 0 for a lease with no time yet and stays within 0–100", () => {
    expect(verifiedPercent(0, 0)).toBe(0);
    expect(verifiedPercent(10, 0)).toBe(0);
    expect(verifiedPercent(20, 10)).toBe(100);
    expect(verifiedPercent(-1, 10)).toBe(0);
  });

  it("reads as a sentence with both durations", () => {
    expect(verifiedSummary(12 * 60, 14 * 60)).toBe("Verified 12 min of 14 min (85%)");
  });
});

describe("uptimeSegments", () => {
  it("lays stretches out in proportion to their length across the lease", () => {
    const segments = uptimeSegments(
      [
        { startAt: at(0), endAt: at(60), verified: true, reason: null },
        { startAt: at(60), endAt: at(80), verified: false, reason: "no heartbeat for 20 s" },
        { startAt: at(80), endAt: at(100), verified: true, reason: null },
      ],
      at(0),
      at(100),
    );
    expect(
      segments.map(({ kind, offsetPercent, widthPercent, reason }) => [
        kind,
        offsetPercent,
        widthPercent,
        reason,
      ]),
    ).toEqual([
      ["verified", 0, 60, null],
      ["unverified", 60, 20, "no heartbeat for 20 s"],
      ["verified", 80, 20, null],
    ]);
  });

  it("fills time no check covers (before the first, since the last) as unchecked", () => {
    const segments = uptimeSegments(
      [{ startAt: at(10), endAt: at(90), verified: true, reason: null }],
      at(0),
      at(100),
    );
    expect(segments.map((segment) => [segment.kind, segment.offsetPercent, segment.widthPercent])).toEqual([
      ["unchecked", 0, 10],
      ["verified", 10, 80],
      ["unchecked", 90, 10],
    ]);
    expect(segments[2]).toMatchObject({ startAt: at(90), endAt: at(100), reason: "not checked" });
  });

  it("is one unchecked segment before the first check", () => {
    expect(uptimeSegments([], at(0), at(30))).toEqual([
      {
        kind: "unchecked",
        startAt: at(0),
        endAt: at(30),
        reason: "not checked",
        offsetPercent: 0,
        widthPercent: 100,
      },
    ]);
  });

  it("clips stretches to the bar, orders them, and lets no two segments overlap", () => {
    const segments = uptimeSegments(
      [
        { startAt: at(50), endAt: at(150), verified: false, reason: "probe failed: 503" },
        { startAt: at(-20), endAt: at(55), verified: true, reason: null },
      ],
      at(0),
      at(100),
    );
    expect(segments.map((segment) => [segment.kind, segment.offsetPercent, segment.widthPercent])).toEqual([
      ["verified", 0, 55],
      ["unverified", 55, 45],
    ]);
    const covered = segments.reduce((sum, segment) => sum + segment.widthPercent, 0);
    expect(covered).toBeCloseTo(100);
  });

  it("is empty for a lease with no time between open and now", () => {
    expect(uptimeSegments([], at(10), at(10))).toEqual([]);
  });
});

describe("workloadStatusView", () => {
  const running = { leaseState: "active", closeReason: null, viewer: "tenant" } as const;

  it("says running and verified only when the last check was good", () => {
    expect(
      workloadStatusView({ ...running, status: "running", lastCheck: { verified: true, reason: null } }),
    ).toEqual({
      label: "Running — verified",
      tone: "green",
    });
    expect(workloadStatusView({ ...running, status: "running", lastCheck: null })).toEqual({
      label: "Running — not verified yet",
      tone: "blue",
    });
  });

  it("gives the reason a failed check was not verified, shortened when long", () => {
    expect(
      workloadStatusView({
        ...running,
        status: "running",
        lastCheck: { verified: false, reason: "no heartbeat for 20 s" },
      }),
    ).toEqual({ label: "Not verified: no heartbeat for 20 s", tone: "amber" });
    const long = workloadStatusView({
      ...running,
      status: "degraded",
      lastCheck: { verified: false, reason: `probe failed: http://${"x".repeat(200)}` },
    });
    expect(long.label.length).toBeLessThanOrEqual("Not verified: ".length + 80);
    expect(long.label.endsWith("…")).toBe(true);
  });

  it("names the states before and beside running in plain words", () => {
    expect(workloadStatusView({ ...running, status: "pending" }).label).toBe(
      "Waiting for the provider's agent",
    );
    expect(workloadStatusView({ ...running, status: "deploying" })).toEqual({
      label: "Deploying",
      tone: "blue",
    });
    expect(workloadStatusView({ ...running, status: "manifest_rejected" })).toEqual({
      label: "Provider refused the manifest",
      tone: "red",
    });
    expect(workloadStatusView({ ...running, status: "failed" }).tone).toBe("red");
    expect(workloadStatusView({ ...running, status: "running" })).toEqual({
      label: "Running",
      tone: "green",
    });
  });

  it("says how a closed lease closed, from the viewer's side, whatever the last report said", () => {
    const closed = { status: "running", leaseState: "closed" } as const;
    expect(workloadStatusView({ ...closed, closeReason: "owner", viewer: "tenant" }).label).toBe(
      "Closed by you",
    );
    expect(workloadStatusView({ ...closed, closeReason: "owner", viewer: "provider" }).label).toBe(
      "Closed by the tenant",
    );
    expect(workloadStatusView({ ...closed, closeReason: "unstable", viewer: "tenant" })).toEqual({
      label: "Closed: the workload was unstable",
      tone: "red",
    });
    expect(workloadStatusView({ ...closed, closeReason: "manifest_timeout", viewer: "provider" }).tone).toBe(
      "red",
    );
  });
});

describe("appendLogLines", () => {
  const line = (id: number): LogLineView => ({
    id: String(id),
    at: at(id).toISOString(),
    service: "web",
    line: `line ${id}`,
  });

  it("appends new lines in order", () => {
    expect(appendLogLines([line(1), line(2)], [line(3), line(4)], 10).map((l) => l.id)).toEqual([
      "1",
      "2",
      "3",
      "4",
    ]);
  });

  it("drops lines a reconnect sends again", () => {
    const buffer = [line(1), line(2), line(3)];
    expect(appendLogLines(buffer, [line(2), line(3), line(4)], 10).map((l) => l.id)).toEqual([
      "1",
      "2",
      "3",
      "4",
    ]);
    expect(appendLogLines(buffer, [line(3)], 10)).toBe(buffer);
  });

  it("compares ids as numbers, not as text", () => {
    expect(appendLogLines([line(9)], [line(10)], 10).map((l) => l.id)).toEqual(["9", "10"]);
  });

  it("keeps only the newest lines when the buffer is full", () => {
    expect(appendLogLines([line(1), line(2), line(3)], [line(4), line(5)], 3).map((l) => l.id)).toEqual([
      "3",
      "4",
      "5",
    ]);
  });

  it("shows a line's time of day in UTC", () => {
    expect(logTime("2026-11-26T12:03:04.123Z")).toBe("12:03:04");
  });
});

describe("timeRange", () => {
  it("shows times of day within one UTC day", () => {
    expect(timeRange(at(3 * 60 + 4), at(15 * 60 + 10))).toBe("12:03:04–12:15:10 UTC");
  });

  it("adds the dates when the stretch crosses midnight", () => {
    expect(timeRange(at(11 * 3600 + 59 * 60), at(12 * 3600 + 10 * 60))).toBe(
      "2026-11-26 23:59:00 – 2026-11-27 00:10:00 UTC",
    );
  });
});
