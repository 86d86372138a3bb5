import type { AdminChainTxRow } from "@/lib/escrow/admin-queries";

type ChainTxStatus = AdminChainTxRow["status"];

/**
 * The admin's views of the outbox: "unfinished" (the default: everything not confirmed, so
 * stuck and failed writes stand out), one status, or all.
 */
export const OUTBOX_VIEWS = [
  "unfinished",
  "pending",
  "signed",
  "submitted",
  "failed",
  "confirmed",
  "all",
] as const;
export type OutboxView = (typeof OUTBOX_VIEWS)[number];

const UNFINISHED: ChainTxStatus[] = ["pending", "signed", "submitted", "failed"];

/** The statuses a view lists; undefined for all of them. */
export function outboxStatuses(view: OutboxView): ChainTxStatus[] | undefined {
  if (view === "all") return undefined;
  if (view === "unfinished") return UNFINISHED;
  return [view];
}

/** How many rows a view holds, from the outbox's counts per status. */
export function outboxViewCount(view: OutboxView, counts: Record<ChainTxStatus, number>): number {
  const statuses = outboxStatuses(view) ?? (Object.keys(counts) as ChainTxStatus[]);
  return statuses.reduce((sum, status) => sum + counts[status], 0);
}

export function outboxViewLabel(view: OutboxView): string {
  return view.charAt(0).toUpperCase() + view.slice(1);
}
