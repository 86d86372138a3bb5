import type { Db } from "@/lib/db";

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

export interface MarketEvent {
  id: bigint;
  type: MarketEventType;
  entityId: string;
  audience: string[];
  forProviders: boolean;
  payload: unknown;
  createdAt: Date;
}

/** Written inside the transaction that makes the change, so an event exists iff the change committed. */
export interface NewMarketEvent {
  type: MarketEventType;
  entityId: string;
  audience: string[];
  forProviders?: boolean;
  payload: object;
}

export async function recordEvent(db: Db, event: NewMarketEvent): Promise<MarketEvent> {
  const rows = await db.$queryRaw<Parameters<typeof toEvent>[0][]>`
    INSERT INTO market_event (type, "entityId", audience, "forProviders", payload)
    VALUES (${event.type}, ${event.entityId}, ${[...new Set(event.audience)]}::text[],
            ${event.forProviders ?? false}, ${JSON.stringify(event.payload)}::jsonb)
    RETURNING *`;
  return toEvent(rows[0]!);
}

function toEvent(row: {
  id: bigint;
  type: string;
  entityId: string;
  audience: string[];
  forProviders: boolean;
  payload: unknown;
  createdAt: Date;
}): MarketEvent {
  return { ...row, type: row.type as MarketEventType };
}

/**
 * Events after an id, oldest first. With `visibleTo`, only those addressed to that account
 * (and offers to providers, for a provider), so a reconnecting stream's page is its own.
 */
export async function listEventsAfter(
  db: Db,
  afterId: bigint,
  take: number,
  visibleTo?: { accountId: string; includeProviderOffers: boolean },
): Promise<MarketEvent[]> {
  const rows = await db.marketEvent.findMany({
    where: {
      id: { gt: afterId },
      ...(visibleTo
        ? {
            OR: [
              { audience: { has: visibleTo.accountId } },
              ...(visibleTo.includeProviderOffers ? [{ forProviders: true }] : []),
            ],
          }
        : {}),
    },
    orderBy: { id: "asc" },
    take,
  });
  return rows.map(toEvent);
}

export async function latestEventId(db: Db): Promise<bigint> {
  const row = await db.marketEvent.findFirst({ orderBy: { id: "desc" }, select: { id: true } });
  return row?.id ?? 0n;
}
