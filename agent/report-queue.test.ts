import { describe, expect, it } from "vitest";
import {
  MAX_EVENTS_PER_REPORT,
  MAX_LOG_LINE_CHARS,
  MAX_LOG_LINES_PER_REPORT,
  MAX_REPORT_BYTES,
  WorkloadReportSchema,
  type LogLine,
  type WorkloadEvent,
} from "@/lib/verify/protocol";
import { ReportQueue } from "./report-queue";

const now = new Date("2025-05-01T10:00:00.000Z");
const event = (index: number): WorkloadEvent => ({
  at: now.toISOString(),
  type: "normal",
  reason: "Started",
  message: `event ${index}`,
});
const line = (index: number, text = `line ${index}`): LogLine => ({
  at: now.toISOString(),
  service: "web",
  line: text,
});

describe("ReportQueue", () => {
  it("splits what does not fit one report across several, in order, losing nothing", () => {
    const queue = new ReportQueue();
    const events = Array.from({ length: 150 }, (_, index) => event(index));
    const logs = Array.from({ length: 1200 }, (_, index) => line(index));
    queue.push(events, logs);

    const seenEvents: WorkloadEvent[] = [];
    const seenLogs: LogLine[] = [];
    let reports = 0;
    while (queue.size.events + queue.size.logs > 0) {
      const { batch, commit } = queue.peek(100, now);
      expect(batch.events.length).toBeLessThanOrEqual(MAX_EVENTS_PER_REPORT);
      expect(batch.logs.length).toBeLessThanOrEqual(MAX_LOG_LINES_PER_REPORT);
      WorkloadReportSchema.parse({ status: "running", services: [], ...batch });
      seenEvents.push(...batch.events);
      seenLogs.push(...batch.logs);
      commit();
      reports += 1;
      expect(reports).toBeLessThan(10);
    }
    expect(reports).toBe(3);
    expect(seenEvents).toEqual(events);
    expect(seenLogs).toEqual(logs);
  });

  it("keeps a batch until it is committed (a failed POST loses nothing)", () => {
    const queue = new ReportQueue();
    queue.push([event(1)], [line(1)]);
    const first = queue.peek(100, now);
    const second = queue.peek(100, now);
    expect(second.batch).toEqual(first.batch);
    second.commit();
    expect(queue.size).toEqual({ events: 0, logs: 0 });
  });

  it("keeps a report under the size limit however long the lines", () => {
    const queue = new ReportQueue();
    queue.push(
      [],
      Array.from({ length: 400 }, (_, index) => line(index, "x".repeat(10_000))),
    );
    const { batch } = queue.peek(1000, now);
    expect(batch.logs[0]!.line).toHaveLength(MAX_LOG_LINE_CHARS);
    const report = JSON.stringify({ status: "running", services: [], ...batch });
    expect(report.length + 1000).toBeLessThanOrEqual(MAX_REPORT_BYTES);
    expect(batch.logs.length).toBeGreaterThan(50);
    expect(batch.logs.length).toBeLessThan(400);
  });

  it("drops the oldest lines past its bound and says so in the next report", () => {
    const queue = new ReportQueue({ events: 10, logLines: 100 });
    queue.push(
      [],
      Array.from({ length: 250 }, (_, index) => line(index)),
    );
    expect(queue.size.logs).toBe(100);
    const { batch, commit } = queue.peek(100, now);
    expect(batch.logs[0]).toEqual(line(150));
    expect(batch.events[0]).toMatchObject({ type: "warning", reason: "ReportDropped" });
    expect(batch.events[0]!.message).toContain("150 log lines");
    commit();
    expect(queue.peek(100, now).batch.events).toEqual([]);
  });
});
