import type { Metadata } from "next";
import Link from "next/link";
import { DeploymentsList } from "@/components/deployment/deployments-list";
import { ChainUnavailable, EscrowNotConfigured } from "@/components/escrow/escrow-notice";
import { tokenOf } from "@/components/escrow/token-amount";
import { WalletCard } from "@/components/escrow/wallet-card";
import { LeasesList } from "@/components/tenant/leases-list";
import { OrdersList } from "@/components/tenant/orders-list";
import { buttonClasses } from "@/components/ui/button";
import { FilterTabs } from "@/components/ui/filter-tabs";
import { Card, EmptyState, PageHeader, Stat } from "@/components/ui/card";
import { chainRuntime } from "@/lib/chain/runtime";
import { listDeploymentsFor } from "@/lib/deployments/deployment-queries";
import { perHour } from "@/lib/format";
import { listBidsForOrderFor, listLeasesFor, listOrdersFor } from "@/lib/market/market-queries";
import type { OrderState } from "@/lib/market/types";
import { requirePagePrincipal } from "../_lib/session";
import { closeLeaseAction, getTestTokensAction } from "./actions";
import { walletOrNull } from "./wallet-or-null";

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

  const [orders, allLeases, deployments, wallet] = await Promise.all([
    listOrdersFor(principal, { view: "mine", limit: ORDERS_SHOWN }, now),
    listLeasesFor(principal, { limit: 100 }),
    listDeploymentsFor(principal, { limit: DEPLOYMENTS_SHOWN }, now),
    walletSection(principal.accountId),
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

      <div id="wallet" className="scroll-mt-4">
        {wallet}
      </div>

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
          <FilterTabs
            label="Filter orders by state"
            tabs={TABS.map((tab) => ({
              href: tab.state ? `/tenant?state=${tab.state}` : "/tenant",
              label: tab.label,
              count: countFor(tab.state),
              active: tab.state === filter,
            }))}
          />
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

/** The wallet card, or a calm note when no chain is configured or its RPC does not answer. */
async function walletSection(accountId: string) {
  const runtime = chainRuntime();
  if (!runtime) {
    return (
      <Card title="Wallet">
        <EscrowNotConfigured />
      </Card>
    );
  }
  const wallet = await walletOrNull(runtime, accountId);
  if (!wallet) {
    return (
      <Card title="Wallet">
        <ChainUnavailable />
      </Card>
    );
  }
  return (
    <WalletCard
      wallet={wallet}
      token={tokenOf(runtime.settings)}
      chainId={runtime.settings.chainId}
      faucetAction={getTestTokensAction}
    />
  );
}
