import {
  MAX_EVENTS_PER_REPORT,
  MAX_LOG_LINE_CHARS,
  MAX_LOG_LINES_PER_REPORT,
  MAX_REPORT_BYTES,
  type LogLine,
  type WorkloadEvent,
} from "@/lib/verify/protocol";

/**
 * Events and log lines waiting to be reported for one lease. A heartbeat takes a batch that fits
 * the protocol's limits and removes it only once the server accepted it, so a failed POST loses
 * nothing. The queue is bounded: when the server stays unreachable, the oldest log lines go
 * first (events are rarer and matter more), and the next batch says how many were dropped.
 */
export const MAX_QUEUED_EVENTS = 1_000;
export const MAX_QUEUED_LOG_LINES = 5_000;
const MAX_EVENT_MESSAGE_CHARS = 1024;
const MAX_REASON_CHARS = 64;

export interface ReportBatch {
  events: WorkloadEvent[];
  logs: LogLine[];
}

export class ReportQueue {
  private events: WorkloadEvent[] = [];
  private logs: LogLine[] = [];
  private droppedLogLines = 0;
  private droppedEvents = 0;

  constructor(private readonly limits = { events: MAX_QUEUED_EVENTS, logLines: MAX_QUEUED_LOG_LINES }) {}

  get size(): { events: number; logs: number } {
    return { events: this.events.length, logs: this.logs.length };
  }

  push(events: readonly WorkloadEvent[], logs: readonly LogLine[]): void {
    this.events.push(...events.map(boundedEvent));
    this.logs.push(...logs.map(boundedLogLine));
    if (this.events.length > this.limits.events) {
      this.droppedEvents += this.events.length - this.limits.events;
      this.events.splice(0, this.events.length - this.limits.events);
    }
    if (this.logs.length > this.limits.logLines) {
      this.droppedLogLines += this.logs.length - this.limits.logLines;
      this.logs.splice(0, this.logs.length - this.limits.logLines);
    }
  }

  /**
   * The oldest events and lines that fit one report next to `reservedChars` of other content
   * (status and services). `commit` removes exactly them once the report was accepted.
   */
  peek(reservedChars: number, now: Date): { batch: ReportBatch; commit: () => void } {
    const dropNotice = this.dropNotice(now);
    const pendingEvents = dropNotice ? [dropNotice, ...this.events] : this.events;
    let budget = MAX_REPORT_BYTES - reservedChars - 64;
    const events: WorkloadEvent[] = [];
    for (const event of pendingEvents) {
      const cost = JSON.stringify(event).length + 1;
      if (events.length >= MAX_EVENTS_PER_REPORT || cost > budget) break;
      events.push(event);
      budget -= cost;
    }
    const logs: LogLine[] = [];
    for (const line of this.logs) {
      const cost = JSON.stringify(line).length + 1;
      if (logs.length >= MAX_LOG_LINES_PER_REPORT || cost > budget) break;
      logs.push(line);
      budget -= cost;
    }
    const queuedEventsTaken = dropNotice ? Math.max(0, events.length - 1) : events.length;
    const droppedSnapshot = { events: this.droppedEvents, logs: this.droppedLogLines };
    return {
      batch: { events, logs },
      commit: () => {
        if (dropNotice && events.length > 0) {
          this.droppedEvents -= droppedSnapshot.events;
          this.droppedLogLines -= droppedSnapshot.logs;
        }
        this.events.splice(0, queuedEventsTaken);
        this.logs.splice(0, logs.length);
      },
    };
  }

  private dropNotice(now: Date): WorkloadEvent | null {
    if (this.droppedEvents === 0 && this.droppedLogLines === 0) return null;
    return {
      at: now.toISOString(),
      type: "warning",
      reason: "ReportDropped",
      message: `the agent could not report for a while and dropped ${this.droppedEvents} events and ${this.droppedLogLines} log lines`,
    };
  }
}

function boundedEvent(event: WorkloadEvent): WorkloadEvent {
  return {
    ...event,
    reason: event.reason.slice(0, MAX_REASON_CHARS) || "Unknown",
    message: event.message.slice(0, MAX_EVENT_MESSAGE_CHARS),
  };
}

function boundedLogLine(line: LogLine): LogLine {
  return line.line.length > MAX_LOG_LINE_CHARS
    ? { ...line, line: line.line.slice(0, MAX_LOG_LINE_CHARS) }
    : line;
}
