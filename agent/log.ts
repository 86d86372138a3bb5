/**
 * The agent's log: one entry per thing an operator wants to see (a bid placed, a lease won, a
 * manifest checked). The CLI prints entries as readable lines or JSON; tests collect them.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

export interface AgentLog {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export interface LogEntry {
  level: LogLevel;
  time: string;
  message: string;
  fields: LogFields;
}

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** A log that hands each entry at or above `minimum` to `write`. */
export function createLog(write: (entry: LogEntry) => void, minimum: LogLevel = "info"): AgentLog {
  const emit =
    (level: LogLevel) =>
    (message: string, fields: LogFields = {}) => {
      if (LEVEL_ORDER[level] < LEVEL_ORDER[minimum]) return;
      write({ level, time: new Date().toISOString(), message, fields });
    };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error") };
}

/** "2025-05-01T10:00:00.000Z info  bid placed order=ord_1 price=2.400000". */
export function formatLogLine(entry: LogEntry): string {
  const fields = Object.entries(entry.fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${fieldText(value)}`);
  return [entry.time, entry.level.padEnd(5), entry.message, ...fields].join(" ");
}

export function formatLogJson(entry: LogEntry): string {
  return JSON.stringify(
    { level: entry.level, time: entry.time, message: entry.message, ...entry.fields },
    (_, value: unknown) =>
      typeof value === "bigint" ? value.toString() : value instanceof Error ? value.message : value,
  );
}

function fieldText(value: unknown): string {
  if (value instanceof Error) return JSON.stringify(value.message);
  if (typeof value === "string")
    return /^[\w.:/@+-]*$/.test(value) && value !== "" ? value : JSON.stringify(value);
  if (typeof value === "bigint") return value.toString();
  return JSON.stringify(value);
}

/** A log that drops everything (the default for code paths that are given none). */
export const silentLog: AgentLog = createLog(() => {});

/** Error text safe for the log: the message, never a stack. */
export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
