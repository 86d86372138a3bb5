import { Stat } from "@/components/ui/card";
import type { MarketOverview } from "@/lib/market/market-overview";

export function MarketTotals({ totals }: { totals: MarketOverview["totals"] }) {
  return (
    <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
      <Stat
        label="GPUs available"
        value={totals.freeGpus.toLocaleString("en-US")}
        hint={`of ${totals.gpus.toLocaleString("en-US")} listed`}
      />
      <Stat label="Providers" value={totals.providers.toLocaleString("en-US")} hint="with GPU inventory" />
      <Stat label="Open orders" value={totals.openOrders.toLocaleString("en-US")} hint="waiting for bids" />
      <Stat label="Active leases" value={totals.activeLeases.toLocaleString("en-US")} hint="running now" />
    </dl>
  );
}
