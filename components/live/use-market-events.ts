"use client";

import { useEffect, useRef, useState } from "react";

/** The event names /api/v1/events sends; each event's data is the wire form of the resource. */
export const MARKET_EVENT_TYPES = [
  "order.created",
  "order.updated",
  "bid.created",
  "bid.updated",
  "lease.created",
  "lease.updated",
  "deployment.created",
  "deployment.updated",
] as const;

export type MarketEventType = (typeof MARKET_EVENT_TYPES)[number];

/** "offline": the server refused the stream (signed out, suspended) and it will not retry. */
export type LiveStatus = "connecting" | "live" | "offline";

const EVENTS_URL = "/api/v1/events";

/**
 * Subscribes the signed-in browser to its market events; the next-auth session cookie
 * authenticates the stream. `onEvent` gets the event type and its parsed JSON payload
 * (orderToWire / bidToWire / leaseToWire shapes). The latest callbacks are always used,
 * so callers need not memoise them. EventSource reconnects by itself and resumes with
 * Last-Event-ID. `onOpen` runs on every (re)connection: a page that rendered its list on
 * the server can re-fetch there to cover changes made before the stream was up.
 */
export function useMarketEvents(
  onEvent: (type: string, data: unknown) => void,
  options: { onOpen?: () => void } = {},
): LiveStatus {
  const handlers = useRef({ onEvent, onOpen: options.onOpen });
  const [status, setStatus] = useState<LiveStatus>("connecting");

  useEffect(() => {
    handlers.current = { onEvent, onOpen: options.onOpen };
  });

  useEffect(() => {
    const source = new EventSource(EVENTS_URL, { withCredentials: true });
    const listener = (event: MessageEvent<string>) => {
      let data: unknown;
      try {
        data = JSON.parse(event.data);
      } catch {
        return;
      }
      handlers.current.onEvent(event.type, data);
    };
    for (const type of MARKET_EVENT_TYPES) source.addEventListener(type, listener);
    source.onopen = () => {
      setStatus("live");
      handlers.current.onOpen?.();
    };
    source.onerror = () => setStatus(source.readyState === EventSource.CLOSED ? "offline" : "connecting");
    return () => {
      for (const type of MARKET_EVENT_TYPES) source.removeEventListener(type, listener);
      source.close();
    };
  }, []);

  return status;
}
