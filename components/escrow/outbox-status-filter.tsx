import { FilterTabs } from "@/components/ui/filter-tabs";
import type { AdminChainTxRow } from "@/lib/escrow/admin-queries";
import { OUTBOX_VIEWS, outboxViewCount, outboxViewLabel, type OutboxView } from "./outbox-views";

/** The outbox's views with their counts: the counts by status double as the outbox's health at a glance. */
export function OutboxStatusFilter({
  current,
  counts,
}: {
  current: OutboxView;
  counts: Record<AdminChainTxRow["status"], number>;
}) {
  return (
    <FilterTabs
      label="Filter chain transactions by status"
      tabs={OUTBOX_VIEWS.map((view) => ({
        href: view === "unfinished" ? "/admin?tab=escrow" : `/admin?tab=escrow&state=${view}`,
        label: outboxViewLabel(view),
        count: outboxViewCount(view, counts),
        active: view === current,
      }))}
    />
  );
}
