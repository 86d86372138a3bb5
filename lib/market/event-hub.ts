import { db } from "@/lib/db";
import { latestEventId, listEventsAfter, type MarketEvent } from "./market-event.repository";

/**
 * Fans market events out to the open event streams of this process.
 *
 * Use cases publish their events right after commit, so a stream in the same process
 * sees a change at once. A poller reads the event table too, so changes committed by
 * other processes arrive within POLL_INTERVAL_MS. Sequence ids are assigned before
 * commit, so a later id can commit first; the poller therefore re-reads from the
 * highest id it had seen LOOKBACK_MS ago and drops ids it has already delivered.
 */
const POLL_INTERVAL_MS = 500;
const LOOKBACK_MS = 5_000;
const POLL_BATCH = 2_000;

type Listener = (event: MarketEvent) => void;

class EventHub {
  private readonly listeners = new Set<Listener>();
  private readonly delivered = new Map<bigint, number>();
  private readonly watermarks: { at: number; maxId: bigint }[] = [];
  private maxSeenId: bigint | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private polling = false;

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    this.start();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  publish(events: MarketEvent[]): void {
    for (const event of events) this.deliver(event);
  }

  private deliver(event: MarketEvent): void {
    if (this.delivered.has(event.id)) return;
    this.delivered.set(event.id, Date.now());
    if (this.maxSeenId === null || event.id > this.maxSeenId) this.maxSeenId = event.id;
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken stream must not stop the others; it is removed when its connection closes.
      }
    }
  }

  private start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.poll(), POLL_INTERVAL_MS);
    this.timer.unref?.();
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.maxSeenId = null;
    this.watermarks.length = 0;
    this.delivered.clear();
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const now = Date.now();
      if (this.maxSeenId === null) {
        this.maxSeenId = await latestEventId(db());
        this.watermarks.push({ at: now, maxId: this.maxSeenId });
        return;
      }
      while (this.watermarks.length > 1 && now - this.watermarks[1]!.at >= LOOKBACK_MS)
        this.watermarks.shift();
      const from = this.watermarks[0]?.maxId ?? this.maxSeenId;
      const events = await listEventsAfter(db(), from, POLL_BATCH);
      for (const event of events) this.deliver(event);
      this.watermarks.push({ at: now, maxId: this.maxSeenId });
      for (const [id, at] of this.delivered) if (now - at > 2 * LOOKBACK_MS) this.delivered.delete(id);
    } catch {
      // The database may be restarting; the next tick tries again.
    } finally {
      this.polling = false;
    }
  }
}

const globalForHub = globalThis as unknown as { bidcloudEventHub?: EventHub };

export function eventHub(): EventHub {
  globalForHub.bidcloudEventHub ??= new EventHub();
  return globalForHub.bidcloudEventHub;
}
