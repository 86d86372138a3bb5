import { describe, expect, it } from "vitest";
import { linesAfter } from "./log-lines";

const LOG = [
  "2025-05-01T10:00:00.000000001Z loading model",
  "2025-05-01T10:00:00.5Z weights 50%",
  "2025-05-01T12:00:01.25+02:00 ready",
  "no timestamp: skipped",
  "",
].join("\n");

describe("linesAfter", () => {
  it("takes every timestamped line the first time, in UTC, and remembers the last time to the nanosecond", () => {
    const { lines, cursor } = linesAfter(LOG, undefined, "vllm");
    expect(lines).toEqual([
      { at: "2025-05-01T10:00:00.000Z", service: "vllm", line: "loading model" },
      { at: "2025-05-01T10:00:00.500Z", service: "vllm", line: "weights 50%" },
      { at: "2025-05-01T10:00:01.250Z", service: "vllm", line: "ready" },
    ]);
    expect(cursor).toBe(1_746_093_601_250_000_000n);
  });

  it("takes nothing twice when the next read overlaps the last", () => {
    const first = linesAfter(LOG, undefined, "vllm");
    const overlapping = `${LOG}2025-05-01T10:00:02.000000000Z request served\n`;
    const second = linesAfter(overlapping, first.cursor, "vllm");
    expect(second.lines.map((line) => line.line)).toEqual(["request served"]);
    expect(linesAfter(overlapping, second.cursor, "vllm")).toEqual({ lines: [], cursor: second.cursor });
  });

  it("tells apart lines within the same millisecond by their nanoseconds", () => {
    const first = linesAfter("2025-05-01T10:00:00.000000001Z a\n", undefined, "s");
    const next = linesAfter(
      "2025-05-01T10:00:00.000000001Z a\n2025-05-01T10:00:00.000000002Z b\n",
      first.cursor,
      "s",
    );
    expect(next.lines.map((line) => line.line)).toEqual(["b"]);
  });

  it("cuts a line to the report's limit", () => {
    const { lines } = linesAfter(`2025-05-01T10:00:00Z ${"x".repeat(10_000)}`, undefined, "s");
    expect(lines[0]?.line).toHaveLength(4096);
  });
});
