import type { Metadata } from "next";
import Link from "next/link";
import { GpuModelsTable } from "@/components/market/gpu-models-table";
import { MarketTotals } from "@/components/market/market-totals";
import { OpenOrdersList } from "@/components/market/open-orders-list";
import { PriceRangeChart } from "@/components/market/price-range-chart";
import { buttonClasses } from "@/components/ui/button";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { getMarketOverview } from "@/lib/market/market-overview";
import { currentPrincipal } from "../_lib/session";

export const metadata: Metadata = { title: "GPU market" };

export default async function MarketPage() {
  const now = new Date();
  const [overview, principal] = await Promise.all([getMarketOverview(now), currentPrincipal()]);
  const isTenant = principal?.roles.includes("tenant") ?? false;
  const isProvider = principal?.roles.includes("provider") ?? false;

  return (
    <div className="space-y-6">
      <PageHeader
        title="GPU market"
        description="Live capacity by GPU model, recent winning prices per GPU-hour, and the orders waiting for bids."
        actions={
          principal ? (
            <>
              {isTenant && (
                <Link href="/tenant/orders/new" className={buttonClasses("primary")}>
                  Post an order
                </Link>
              )}
              {isProvider && (
                <Link href="/provider" className={buttonClasses(isTenant ? "secondary" : "primary")}>
                  Bid on orders
                </Link>
              )}
            </>
          ) : (
            <>
              <Link href="/sign-up" className={buttonClasses("primary")}>
                Rent a GPU
              </Link>
              <Link href="/sign-up?role=provider" className={buttonClasses("secondary")}>
                List your GPUs
              </Link>
            </>
          )
        }
      />

      <MarketTotals totals={overview.totals} />

      <Card
        title="GPUs by model"
        description="Median of the latest winning bids, per GPU per hour. The line shows recent leases, oldest first."
      >
        {overview.gpuModels.length === 0 ? (
          <EmptyState title="No GPUs are listed yet">
            Providers list their machines from the provider dashboard; they show up here at once.
          </EmptyState>
        ) : (
          <GpuModelsTable models={overview.gpuModels} />
        )}
      </Card>

      <div className="grid gap-6 lg:grid-cols-5">
        <Card
          title="Winning prices"
          description="Per GPU-hour, recent leases by model."
          className="lg:col-span-2"
        >
          <PriceRangeChart models={overview.gpuModels} />
        </Card>
        <Card
          title="Open orders"
          description="Tenants' requests waiting for bids, with the most each will pay per hour."
          className="lg:col-span-3"
        >
          {overview.openOrders.length === 0 ? (
            <EmptyState
              title="No open orders right now"
              action={
                <Link
                  href={isTenant || !principal ? "/tenant/orders/new" : "/sign-up"}
                  className={buttonClasses("secondary", "sm")}
                >
                  Post an order
                </Link>
              }
            >
              Post what you need — GPU model, count, and your maximum hourly price — and providers bid within
              seconds.
            </EmptyState>
          ) : (
            <OpenOrdersList orders={overview.openOrders} now={now} />
          )}
        </Card>
      </div>
    </div>
  );
}
