import { networkReasonOf } from "./api";
import { reasonOf, type AgentLog } from "./log";

/**
 * Follows GET /events (Server-Sent Events) for as long as the agent runs: reconnects with
 * backoff and Last-Event-ID, so the server replays what was missed; treats silence longer than
 * a few keepalives as a dead connection. `event: closed` (the key was revoked or the account
 * suspended) and 401/403 are fatal: retrying could not help.
 */
export interface StreamedEvent {
  id: string | null;
  type: string;
  data: unknown;
}

export interface EventStreamOptions {
  /** Base URL of the API, e.g. http://127.0.0.1:3000/api/v1. */
  baseUrl: string;
  apiKey: string;
  log: AgentLog;
  onEvent: (event: StreamedEvent) => void;
  /** Each time the stream is (re)connected; `resumed` is false for the first connection. */
  onConnected?: (resumed: boolean) => void;
  onFatal: (error: Error) => void;
  fetch?: typeof fetch;
  /** No byte for this long (keepalives come every 15 s by default) means the connection is dead. */
  idleTimeoutMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export interface EventStream {
  /** Resolves once the first connection answered 200 (or the stream stopped). */
  readonly connected: Promise<void>;
  readonly lastEventId: string | null;
  stop(): Promise<void>;
}

export class EventStreamClosedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EventStreamClosedError";
  }
}

const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
const DEFAULT_MIN_BACKOFF_MS = 500;
const DEFAULT_MAX_BACKOFF_MS = 30_000;

export function openEventStream(options: EventStreamOptions): EventStream {
  const doFetch = options.fetch ?? fetch;
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const minBackoffMs = options.minBackoffMs ?? DEFAULT_MIN_BACKOFF_MS;
  const maxBackoffMs = options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
  const url = `${options.baseUrl.replace(/\/+$/, "")}/events`;

  let lastEventId: string | null = null;
  let stopped = false;
  let current: AbortController | null = null;
  let wakeSleep: (() => void) | null = null;
  let markConnected: () => void = () => {};
  const connected = new Promise<void>((resolve) => (markConnected = resolve));

  async function connectOnce(resumed: boolean): Promise<"ended" | "fatal"> {
    const controller = new AbortController();
    current = controller;
    const headers: Record<string, string> = {
      authorization: `Bearer ${options.apiKey}`,
      accept: "text/event-stream",
    };
    if (lastEventId !== null) headers["last-event-id"] = lastEventId;
    let idleTimer: ReturnType<typeof setTimeout> | undefined;
    const armIdle = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(
        () => controller.abort(new Error(`no data for ${idleTimeoutMs} ms`)),
        idleTimeoutMs,
      );
    };
    try {
      armIdle();
      const response = await doFetch(url, { headers, signal: controller.signal });
      if (response.status === 401 || response.status === 403) {
        const text = await response.text().catch(() => "");
        options.onFatal(
          new EventStreamClosedError(
            `the event stream was refused (HTTP ${response.status}): ${messageOf(text)}`,
          ),
        );
        return "fatal";
      }
      if (response.status !== 200 || !response.body) {
        await response.body?.cancel().catch(() => {});
        throw new Error(`HTTP ${response.status}`);
      }
      markConnected();
      options.onConnected?.(resumed);
      const parser = new SseParser();
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return "ended";
        armIdle();
        for (const event of parser.push(value)) {
          if (event.type === "closed") {
            options.onFatal(
              new EventStreamClosedError(
                "the server closed the event stream: the API key was revoked or the account suspended",
              ),
            );
            return "fatal";
          }
          if (event.id !== null) lastEventId = event.id;
          if (event.data === null) continue;
          let data: unknown;
          try {
            data = JSON.parse(event.data);
          } catch {
            options.log.warn("event with unreadable data skipped", { eventId: event.id, type: event.type });
            continue;
          }
          try {
            options.onEvent({ id: event.id, type: event.type, data });
          } catch (error) {
            options.log.error("event handler failed", { type: event.type, error: reasonOf(error) });
          }
        }
      }
    } finally {
      clearTimeout(idleTimer);
      controller.abort();
    }
  }

  const running = (async () => {
    let backoffMs = minBackoffMs;
    let attempts = 0;
    while (!stopped) {
      const resumed = attempts > 0;
      attempts += 1;
      try {
        const outcome = await connectOnce(resumed);
        if (outcome === "fatal") break;
        backoffMs = minBackoffMs;
        if (!stopped) options.log.warn("event stream ended; reconnecting", { lastEventId });
      } catch (error) {
        if (stopped) break;
        const reason = controllerReason(current) ?? networkReasonOf(error);
        options.log.warn("event stream unavailable; retrying", { reason, retryInMs: backoffMs });
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, backoffMs);
        wakeSleep = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeSleep = null;
      backoffMs = Math.min(maxBackoffMs, backoffMs * 2);
    }
    markConnected();
  })();

  return {
    connected,
    get lastEventId() {
      return lastEventId;
    },
    async stop() {
      stopped = true;
      current?.abort();
      wakeSleep?.();
      await running;
    },
  };
}

function controllerReason(controller: AbortController | null): string | null {
  const reason: unknown = controller?.signal.reason;
  return reason instanceof Error && reason.name !== "AbortError" ? reason.message : null;
}

function messageOf(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof body.error?.message === "string") return body.error.message;
  } catch {
    // not JSON
  }
  return text.slice(0, 200) || "no message";
}

/** One parsed SSE message: `data` joins its data lines, null when it had none. */
export interface SseMessage {
  id: string | null;
  type: string;
  data: string | null;
}

/**
 * Incremental text/event-stream parser (the WHATWG rules the agent needs): blank line ends a
 * message, ":" starts a comment, one optional space after the field's colon, CR/LF/CRLF line
 * ends, several data lines joined with "\n".
 */
export class SseParser {
  private buffer = "";
  private id: string | null = null;
  private type = "message";
  private data: string[] = [];

  push(chunk: string): SseMessage[] {
    this.buffer += chunk;
    const messages: SseMessage[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (!match) break;
      // A lone CR at the end may be the first half of a CRLF split across chunks.
      if (match[0] === "\r" && match.index === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      const message = this.line(line);
      if (message) messages.push(message);
    }
    return messages;
  }

  private line(line: string): SseMessage | null {
    if (line === "") {
      const hasContent = this.data.length > 0 || this.type !== "message" || this.id !== null;
      const message = hasContent
        ? { id: this.id, type: this.type, data: this.data.length > 0 ? this.data.join("\n") : null }
        : null;
      this.id = null;
      this.type = "message";
      this.data = [];
      return message;
    }
    if (line.startsWith(":")) return null;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "id") this.id = value;
    else if (field === "event") this.type = value;
    else if (field === "data") this.data.push(value);
    return null;
  }
}
