import { env } from "@/lib/env";

/** One JSON line per entry on stderr; errors keep their stack for operators, never for users. */
const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
type Level = keyof typeof LEVELS;

function serialize(value: unknown): unknown {
  if (value instanceof Error) {
    return { name: value.name, message: value.message, stack: value.stack, cause: serialize(value.cause) };
  }
  if (typeof value === "bigint") return value.toString();
  return value;
}

function write(level: Level, message: string, fields?: Record<string, unknown>): void {
  let minimum: Level = "info";
  try {
    minimum = env().LOG_LEVEL;
  } catch {
    // An invalid environment is reported elsewhere; logging must still work.
  }
  if (LEVELS[level] < LEVELS[minimum]) return;
  const entry: Record<string, unknown> = { level, time: new Date().toISOString(), message };
  for (const [key, value] of Object.entries(fields ?? {})) entry[key] = serialize(value);
  process.stderr.write(`${JSON.stringify(entry)}\n`);
}

export const logger = {
  debug: (message: string, fields?: Record<string, unknown>) => write("debug", message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write("info", message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write("warn", message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write("error", message, fields),
};
