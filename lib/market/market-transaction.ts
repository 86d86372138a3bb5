import { transaction, translateDbError, type Db } from "@/lib/db";
import { eventHub } from "./event-hub";
import { recordEvent, type MarketEvent, type NewMarketEvent } from "./market-event.repository";

export type Emit = (event: NewMarketEvent) => Promise<void>;

/**
 * One transaction for a market change: events are written with the change and
 * published to this process's streams only after the commit.
 */
export async function marketTransaction<T>(work: (tx: Db, emit: Emit) => Promise<T>): Promise<T> {
  const events: MarketEvent[] = [];
  let result: T;
  try {
    result = await transaction(async (tx) => {
      events.length = 0;
      return work(tx, async (event) => {
        events.push(await recordEvent(tx, event));
      });
    });
  } catch (error) {
    throw translateDbError(error);
  }
  eventHub().publish(events);
  return result;
}
