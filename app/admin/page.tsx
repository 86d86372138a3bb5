import type { Metadata } from "next";
import { AccountsTable } from "@/components/admin/accounts-table";
import { AdminBidsTable } from "@/components/admin/admin-bids-table";
import { AdminDeploymentsTable } from "@/components/admin/admin-deployments-table";
import { AdminLeasesTable } from "@/components/admin/admin-leases-table";
import { AdminOrdersTable } from "@/components/admin/admin-orders-table";
import { AdminTabs } from "@/components/admin/admin-tabs";
import { FilterBar, FilterSearch, FilterSelect } from "@/components/admin/filter-bar";
import { EscrowAccountsTable } from "@/components/escrow/escrow-accounts-table";
import { EscrowNotConfigured } from "@/components/escrow/escrow-notice";
import { OutboxStatusFilter } from "@/components/escrow/outbox-status-filter";
import { OutboxTable } from "@/components/escrow/outbox-table";
import { outboxStatuses } from "@/components/escrow/outbox-views";
import { ReconciliationPanel } from "@/components/escrow/reconciliation-panel";
import { tokenOf } from "@/components/escrow/token-amount";
import { Card, PageHeader, Stat } from "@/components/ui/card";
import {
  adminAccountLabels,
  adminCounts,
  adminListAccounts,
  adminListBids,
  adminListLeases,
  adminListOrders,
} from "@/lib/admin/admin-queries";
import type { Principal } from "@/lib/auth/principal";
import { chainRuntime } from "@/lib/chain/runtime";
import { adminListDeployments } from "@/lib/deployments/deployment-queries";
import { adminListChainTxs, adminListEscrowAccounts } from "@/lib/escrow/admin-queries";
import { ROLES } from "@/lib/auth/principal";
import { effectiveBidState, effectiveOrderState } from "@/lib/market/auction";
import { requirePagePrincipal } from "../_lib/session";
import {
  changeAccountStatus,
  closeDeploymentAsAdmin,
  closeLeaseAsAdmin,
  retryChainTxAsAdmin,
  runReconciliation,
} from "./actions";
import { parseAdminFilters, stateFilter, STATES_BY_TAB, type AdminFilters } from "./admin-filters.schemas";

export const metadata: Metadata = { title: "Admin" };

const TAB_LABELS = {
  accounts: "Accounts",
  deployments: "Deployments",
  orders: "Orders",
  bids: "Bids",
  leases: "Leases",
  escrow: "Escrow",
} as const;
const TAB_DESCRIPTIONS = {
  accounts:
    "Suspending an account closes its open orders and bids at once; running leases stay up until you close them.",
  deployments:
    "Every tenant's deployments (Akash SDL), newest first. Closing one as admin closes its orders and stops its leases.",
  orders: "Every tenant's orders, newest first. An open order past its expiry shows as closed.",
  bids: "Every provider's bids, newest first. Bids hold for 5 minutes unless accepted.",
  leases:
    "Every lease, newest first. Closing one as admin frees the provider's inventory and ends the tenant's workload.",
  escrow: "Escrow accounts, the chain outbox, and reconciliation of the database with the contract.",
} as const;

export default async function AdminPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const principal = await requirePagePrincipal("admin", "/admin");
  const filters = parseAdminFilters(await searchParams);
  const now = new Date();
  const counts = await adminCounts(principal);

  return (
    <>
      <PageHeader
        title="Admin"
        description="Accounts, deployments, orders, bids, leases and escrow across the whole marketplace."
      />

      <dl className="mb-6 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5 max-sm:[&>*:last-child]:col-span-2">
        <Stat label="Accounts" value={counts.accounts} />
        <Stat label="Suspended" value={counts.suspended} />
        <Stat label="Open orders" value={counts.openOrders} />
        <Stat label="Open bids" value={counts.openBids} />
        <Stat label="Active leases" value={counts.activeLeases} />
      </dl>

      <AdminTabs
        current={filters.tab}
        tabs={(Object.keys(TAB_LABELS) as (keyof typeof TAB_LABELS)[]).map((id) => ({
          id,
          label: TAB_LABELS[id],
        }))}
      />
      {filters.tab === "escrow" ? (
        <EscrowSection principal={principal} filters={filters} now={now} />
      ) : (
        <Card title={TAB_LABELS[filters.tab]} description={TAB_DESCRIPTIONS[filters.tab]}>
          <AdminSection principal={principal} filters={filters} now={now} />
        </Card>
      )}
    </>
  );
}

async function AdminSection({
  principal,
  filters,
  now,
}: {
  principal: Principal;
  filters: AdminFilters;
  now: Date;
}) {
  switch (filters.tab) {
    case "accounts": {
      const accounts = await adminListAccounts(principal, {
        status: filters.status,
        role: filters.role,
        search: filters.q,
      });
      return (
        <>
          <FilterBar tab="accounts" active={Boolean(filters.status || filters.role || filters.q)}>
            <FilterSearch name="q" label="Email contains" value={filters.q} placeholder="name@example.com" />
            <FilterSelect
              name="status"
              label="Status"
              value={filters.status}
              options={["active", "suspended"]}
            />
            <FilterSelect name="role" label="Role" value={filters.role} options={ROLES} />
          </FilterBar>
          <AccountsTable
            accounts={accounts}
            selfId={principal.accountId}
            statusAction={changeAccountStatus}
            now={now}
          />
        </>
      );
    }
    case "deployments": {
      const state = stateFilter(filters, "deployments");
      const deployments = await adminListDeployments(principal, { state }, now);
      const labels = await adminAccountLabels(
        principal,
        deployments.map((summary) => summary.deployment.tenantId),
      );
      return (
        <>
          <FilterBar tab="deployments" active={Boolean(state)}>
            <FilterSelect name="state" label="State" value={state} options={STATES_BY_TAB.deployments} />
          </FilterBar>
          <AdminDeploymentsTable
            deployments={deployments}
            accountLabels={labels}
            closeAction={closeDeploymentAsAdmin}
            now={now}
          />
        </>
      );
    }
    case "orders": {
      const state = stateFilter(filters, "orders");
      // Stored-open orders past their expiry count as closed, as everywhere else.
      const orders = (await adminListOrders(principal, { state })).filter(
        (order) => state !== "open" || effectiveOrderState(order, now) === "open",
      );
      const labels = await adminAccountLabels(
        principal,
        orders.map((order) => order.tenantId),
      );
      return (
        <>
          <FilterBar tab="orders" active={Boolean(state)}>
            <FilterSelect name="state" label="State" value={state} options={STATES_BY_TAB.orders} />
          </FilterBar>
          <AdminOrdersTable orders={orders} accountLabels={labels} now={now} />
        </>
      );
    }
    case "bids": {
      const state = stateFilter(filters, "bids");
      const bids = (await adminListBids(principal, { state })).filter(
        (bid) => state !== "open" || effectiveBidState(bid, now) === "open",
      );
      return (
        <>
          <FilterBar tab="bids" active={Boolean(state)}>
            <FilterSelect name="state" label="State" value={state} options={STATES_BY_TAB.bids} />
          </FilterBar>
          <AdminBidsTable bids={bids} now={now} />
        </>
      );
    }
    case "leases": {
      const state = stateFilter(filters, "leases");
      const leases = await adminListLeases(principal, { state });
      const labels = await adminAccountLabels(
        principal,
        leases.map((lease) => lease.tenantId),
      );
      return (
        <>
          <FilterBar tab="leases" active={Boolean(state)}>
            <FilterSelect name="state" label="State" value={state} options={STATES_BY_TAB.leases} />
          </FilterBar>
          <AdminLeasesTable
            leases={leases}
            accountLabels={labels}
            closeAction={closeLeaseAsAdmin}
            now={now}
          />
        </>
      );
    }
  }
}

/** The Escrow tab: accounts, the outbox (unfinished writes by default) and reconciliation on demand. */
async function EscrowSection({
  principal,
  filters,
  now,
}: {
  principal: Principal;
  filters: AdminFilters;
  now: Date;
}) {
  const runtime = chainRuntime();
  if (!runtime) {
    return (
      <Card title="Escrow">
        <EscrowNotConfigured />
      </Card>
    );
  }
  const view = stateFilter(filters, "escrow") ?? "unfinished";
  const [accounts, outbox] = await Promise.all([
    adminListEscrowAccounts(principal),
    adminListChainTxs(principal, { statuses: outboxStatuses(view) }),
  ]);
  return (
    <div className="space-y-6">
      <Card
        title="Escrow accounts"
        description="One per deployment, newest first. Balances are sums of ledger entries."
      >
        <EscrowAccountsTable accounts={accounts} token={tokenOf(runtime.settings)} now={now} />
      </Card>
      <Card
        title="Outbox"
        description="Chain writes, committed with the change that wants them and sent by the worker. A failed one waits here for a retry."
        actions={<OutboxStatusFilter current={view} counts={outbox.counts} />}
      >
        <OutboxTable
          rows={outbox.rows}
          retryAction={retryChainTxAsAdmin}
          emptyTitle={view === "unfinished" ? "Nothing is waiting for the chain" : `No ${view} transactions`}
          now={now}
        />
      </Card>
      <Card
        title="Reconciliation"
        description="Compares every escrow account, lease and payee in the database with the contract, to the base unit."
      >
        <ReconciliationPanel action={runReconciliation} />
      </Card>
    </div>
  );
}
