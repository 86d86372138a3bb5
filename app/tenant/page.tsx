import type { Metadata } from "next";
import Link from "next/link";
import { DeploymentsList } from "@/components/deployment/deployments-list";
import { LeasesList } from "@/components/tenant/leases-list";
import { OrdersList } from "@/components/tenant/orders-list";
import { buttonClasses } from "@/components/ui/button";
import { Card, EmptyState, PageHeader, Stat } from "@/components/ui/card";
import { listDeploymentsFor } from "@/lib/deployments/deployment-queries";
import { perHour } from "@/lib/format";
import { listBidsForOrderFor, listLeasesFor, listOrdersFor } from "@/lib/market/market-queries";
import type { OrderState } from "@/lib/market/types";
import { requirePagePrincipal } from "../_lib/session";
import { closeLeaseAction } from "./actions";

export const metadata: Metadata = { title: "Tenant dashboard" };

const TABS: { state: OrderState | null; label: string }[] = [
  { state: null, label: "All" },
  { state: "open", label: "Open" },
  { state: "active", label: "Active" },
  { state: "closed", label: "Closed" },
];

const ORDERS_SHOWN = 200;
const BID_COUNTS_FOR = 20;
const DEPLOYMENTS_SHOWN = 5;

export default async function TenantDashboardPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const principal = await requirePagePrincipal("tenant", "/tenant");
  const { state } = await searchParams;
  const filter = TABS.find((tab) => tab.state !== null && tab.state === state)?.state ?? null;
  const now = new Date();

  const [orders, allLeases, deployments] = await Promise.all([
    listOrdersFor(principal, { view: "mine", limit: ORDERS_SHOWN }, now),
    listLeasesFor(principal, { limit: 100 }),
    listDeploymentsFor(principal, { limit: DEPLOYMENTS_SHOWN }, now),
  ]);
  const leases = allLeases
    .filter((lease) => lease.tenantId === principal.accountId)
    .sort((a, b) => Number(a.state === "closed") - Number(b.state === "closed"));
  const openOrders = orders.filter((order) => order.state === "open");
  const openBidCounts = new Map(
    await Promise.all(
      openOrders.slice(0, BID_COUNTS_FOR).map(async (order) => {
        const bids = await listBidsForOrderFor(principal, order.id, now);
        return [order.id, bids.filter((bid) => bid.state === "open").length] as const;
      }),
    ),
  );
  const ordersById = new Map(orders.map((order) => [order.id, order]));
  const shownOrders = filter ? orders.filter((order) => order.state === filter) : orders;
  const runningLeases = leases.filter((lease) => lease.state !== "closed");
  const spendPerHour = runningLeases.reduce((sum, lease) => sum + lease.pricePerHour, 0n);
  const countFor = (tabState: OrderState | null) =>
    tabState ? orders.filter((order) => order.state === tabState).length : orders.length;

  const postButton = (
    <Link href="/tenant/orders/new" className={buttonClasses("secondary")}>
      Post an order
    </Link>
  );
  const newDeploymentButton = (
    <Link href="/tenant/deployments/new" className={buttonClasses("primary")}>
      New deployment
    </Link>
  );

  return (
    <div className="space-y-6">
      <PageHeader
        title="Tenant dashboard"
        description="Your deployments and orders for GPU capacity, the bids they get, and the leases you run."
        actions={
          <>
            {postButton}
            {newDeploymentButton}
          </>
        }
      />

      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat label="Open orders" value={openOrders.length} hint="collecting bids" />
        <Stat label="Running leases" value={runningLeases.length} hint={`${leases.length} in total`} />
        <Stat label="Spend rate" value={perHour(spendPerHour)} hint="across running leases" />
        <Stat
          label="Bids waiting"
          value={[...openBidCounts.values()].reduce((sum, count) => sum + count, 0)}
          hint="on your open orders"
        />
      </dl>

      <Card
        title="Deployments"
        description="Workloads posted as Akash SDL; each placement group is an order providers bid on."
        actions={
          deployments.length > 0 && (
            <Link
              href="/tenant/deployments"
              className="rounded-md px-2 py-1 text-xs font-semibold text-brand-600 hover:bg-brand-50"
            >
              All deployments ›
            </Link>
          )
        }
      >
        {deployments.length === 0 ? (
          <EmptyState title="Post your first deployment — start from a template" action={newDeploymentButton}>
            Llama 3.1 on vLLM, Ollama, ComfyUI, Jupyter and more are one click away — or build one with a
            short form, or paste your own Akash SDL.
          </EmptyState>
        ) : (
          <DeploymentsList deployments={deployments} now={now} />
        )}
      </Card>

      <Card title="Leases" description="Accepted bids. You pay each lease's hourly price until you close it.">
        {leases.length === 0 ? (
          <EmptyState title="No leases yet">
            A lease starts when you accept a bid on one of your orders.{" "}
            {openOrders.length > 0 ? "Open an order below to see its bids." : "Post an order to get bids."}
          </EmptyState>
        ) : (
          <LeasesList leases={leases} ordersById={ordersById} now={now} closeAction={closeLeaseAction} />
        )}
      </Card>

      <Card
        title="Orders"
        actions={
          <nav
            aria-label="Filter orders by state"
            className="flex gap-1 overflow-x-auto rounded-lg bg-slate-100 p-0.5"
          >
            {TABS.map((tab) => {
              const active = tab.state === filter;
              return (
                <Link
                  key={tab.label}
                  href={tab.state ? `/tenant?state=${tab.state}` : "/tenant"}
                  aria-current={active ? "page" : undefined}
                  className={`whitespace-nowrap rounded-md px-2.5 py-1 text-xs font-semibold ${
                    active ? "bg-white text-slate-900 shadow-xs" : "text-slate-600 hover:text-slate-900"
                  }`}
                >
                  {tab.label}{" "}
                  <span className="font-normal tabular-nums text-slate-500">{countFor(tab.state)}</span>
                </Link>
              );
            })}
          </nav>
        }
      >
        {shownOrders.length === 0 ? (
          <EmptyState
            title={filter ? `No ${filter} orders` : "You have not posted an order yet"}
            action={postButton}
          >
            Tell providers what you need — GPU model and count, CPU, memory, disk — and the most you will pay
            per hour. Bids arrive within seconds.
          </EmptyState>
        ) : (
          <OrdersList orders={shownOrders} openBidCounts={openBidCounts} now={now} />
        )}
      </Card>
    </div>
  );
}
