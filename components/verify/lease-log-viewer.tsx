"use client";

import { useEffect, useId, useLayoutEffect, useRef, useState, type UIEvent } from "react";
import { Button } from "@/components/ui/button";
import { appendLogLines, logTime, type LogLineView } from "./verification-format";

/** Lines kept in the browser; older ones drop off the top. */
const MAX_LINES_KEPT = 2_000;
/** Within this many pixels of the bottom counts as "at the newest line": the view keeps following. */
const FOLLOW_SLACK_PX = 24;

type StreamState = "connecting" | "live" | "paused" | "ended" | "offline";

const STATE_LABELS: Record<StreamState, string> = {
  connecting: "Connecting…",
  live: "Live",
  paused: "Paused",
  ended: "Lease closed — no more lines",
  offline: "Offline — reload to reconnect",
};

const STATE_DOTS: Record<StreamState, string> = {
  connecting: "bg-amber-400",
  live: "bg-emerald-500 animate-pulse",
  paused: "bg-slate-400",
  ended: "bg-slate-400",
  offline: "bg-red-400",
};

const SERVICE_COLORS = [
  "text-sky-300",
  "text-emerald-300",
  "text-amber-300",
  "text-fuchsia-300",
  "text-rose-300",
];

function parsed<T>(data: string): T | null {
  try {
    return JSON.parse(data) as T;
  } catch {
    return null;
  }
}

/**
 * The workload's logs, live: Server-Sent Events from /api/v1/leases/{id}/logs/stream (the
 * session cookie authenticates). Starts with the newest lines, then follows new ones; the view
 * stays at the bottom until the reader scrolls up. Pause closes the stream; resume reopens it
 * after the last line received, so nothing is missed or shown twice.
 */
export function LeaseLogViewer({ leaseId, services }: { leaseId: string; services: string[] }) {
  const [lines, setLines] = useState<LogLineView[]>([]);
  const [state, setState] = useState<StreamState>("connecting");
  const [loaded, setLoaded] = useState(false);
  const [paused, setPaused] = useState(false);
  const [service, setService] = useState("");
  /** The last line shown when the reader scrolled up; null while following the newest line. */
  const [leftAt, setLeftAt] = useState<string | null>(null);
  const lastId = useRef<string | null>(null);
  const pending = useRef<LogLineView[]>([]);
  const frame = useRef<number | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const filterId = useId();

  useEffect(() => {
    if (paused) return;
    const after = lastId.current ? `?after=${lastId.current}` : "";
    const source = new EventSource(`/api/v1/leases/${encodeURIComponent(leaseId)}/logs/stream${after}`, {
      withCredentials: true,
    });
    setState("connecting");
    // A burst of lines (the first page, a catch-up) renders once per frame, not once per line.
    const flush = () => {
      frame.current = null;
      const batch = pending.current;
      pending.current = [];
      if (batch.length > 0) setLines((current) => appendLogLines(current, batch, MAX_LINES_KEPT));
    };
    const onLog = (event: MessageEvent<string>) => {
      const line = parsed<LogLineView>(event.data);
      if (!line) return;
      pending.current.push(line);
      if (pending.current.length > MAX_LINES_KEPT) pending.current = pending.current.slice(-MAX_LINES_KEPT);
      lastId.current = line.id;
      frame.current ??= requestAnimationFrame(flush);
    };
    const onReady = () => {
      setLoaded(true);
      setState("live");
    };
    const onClosed = (event: MessageEvent<string>) => {
      source.close();
      setState(parsed<{ reason?: string }>(event.data)?.reason === "lease_closed" ? "ended" : "offline");
    };
    source.addEventListener("log", onLog);
    source.addEventListener("ready", onReady);
    source.addEventListener("closed", onClosed);
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? "offline" : "connecting");
    return () => {
      source.close();
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      flush();
    };
  }, [leaseId, paused]);

  const serviceNames = [...new Set([...services, ...lines.map((line) => line.service)])].sort();
  const colorOf = (name: string) => SERVICE_COLORS[serviceNames.indexOf(name) % SERVICE_COLORS.length];
  const shown = service ? lines.filter((line) => line.service === service) : lines;
  const following = leftAt === null;
  const unseen = leftAt === null ? 0 : shown.filter((line) => BigInt(line.id) > BigInt(leftAt)).length;
  const newestShown = shown.at(-1)?.id;

  useLayoutEffect(() => {
    if (following && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [following, newestShown, shown.length]);

  function onScroll(event: UIEvent<HTMLDivElement>) {
    const element = event.currentTarget;
    const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight <= FOLLOW_SLACK_PX;
    if (atBottom) setLeftAt(null);
    else if (leftAt === null) setLeftAt(newestShown ?? "0");
  }

  const ended = state === "ended";
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <span
          role="status"
          aria-live="polite"
          className="inline-flex items-center gap-1.5 rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-600"
        >
          <span
            aria-hidden
            className={`h-1.5 w-1.5 rounded-full ${paused ? STATE_DOTS.paused : STATE_DOTS[state]}`}
          />
          {paused ? STATE_LABELS.paused : STATE_LABELS[state]}
        </span>
        <span className="text-xs tabular-nums text-slate-500">
          {shown.length} line{shown.length === 1 ? "" : "s"}
          {lines.length >= MAX_LINES_KEPT && " (newest kept)"}
        </span>
        <div className="ml-auto flex flex-wrap items-center gap-2">
          {serviceNames.length > 1 && (
            <div className="inline-flex items-center gap-1.5 text-xs text-slate-600">
              <label htmlFor={filterId}>Service</label>
              <select
                id={filterId}
                value={service}
                onChange={(event) => setService(event.target.value)}
                className="rounded-md border-0 py-1 pr-7 pl-2 text-xs text-slate-900 ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-600"
              >
                <option value="">All services</option>
                {serviceNames.map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </select>
            </div>
          )}
          {!ended && state !== "offline" && (
            <Button
              variant="secondary"
              size="sm"
              onClick={() => setPaused((value) => !value)}
              aria-pressed={paused}
            >
              {paused ? "Resume" : "Pause"}
            </Button>
          )}
        </div>
      </div>
      <div className="relative">
        <div
          ref={box}
          onScroll={onScroll}
          role="log"
          aria-live="off"
          aria-label="Workload logs"
          tabIndex={0}
          data-testid="lease-logs"
          className={`overflow-y-auto rounded-lg bg-slate-900 py-2 font-mono text-xs leading-5 text-slate-100 focus-visible:outline-2 focus-visible:outline-brand-600 ${
            shown.length === 0 ? "" : "h-72 sm:h-96"
          }`}
        >
          {shown.length === 0 ? (
            <p className="px-3 py-2 font-sans text-sm text-slate-400">
              {!loaded
                ? "Loading logs…"
                : lines.length > 0
                  ? `No lines from ${service} yet.`
                  : "No logs yet — the provider's agent sends them with its heartbeats."}
            </p>
          ) : (
            shown.map((line) => (
              // On a phone the time and service run inline so the line gets the full width; wider, they are columns.
              <div key={line.id} className="px-3 [overflow-wrap:anywhere] hover:bg-white/5 sm:flex sm:gap-3">
                <time
                  dateTime={line.at}
                  title={line.at}
                  className="mr-2 text-slate-500 tabular-nums sm:mr-0 sm:shrink-0"
                >
                  {logTime(line.at)}
                </time>
                {serviceNames.length > 1 && !service && (
                  <span
                    className={`mr-2 sm:mr-0 sm:max-w-24 sm:shrink-0 sm:truncate ${colorOf(line.service)}`}
                    title={line.service}
                  >
                    {line.service}
                  </span>
                )}
                <span className="whitespace-pre-wrap sm:min-w-0">{line.line}</span>
              </div>
            ))
          )}
        </div>
        {!following && (
          <button
            type="button"
            onClick={() => setLeftAt(null)}
            className="absolute right-3 bottom-3 rounded-full bg-brand-600 px-3 py-1 text-xs font-semibold text-white shadow-md hover:bg-brand-700"
          >
            {unseen > 0 ? `${unseen} new line${unseen === 1 ? "" : "s"} ↓` : "Jump to newest ↓"}
          </button>
        )}
      </div>
    </div>
  );
}
