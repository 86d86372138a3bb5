import type { Metadata } from "next";
import Link from "next/link";
import { StateBadge } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { Card, PageHeader, Stat } from "@/components/ui/card";
import { AddInventoryForm } from "@/components/provider/add-inventory-form";
import { InventoryTable } from "@/components/provider/inventory-table";
import { OpenOrdersList } from "@/components/provider/open-orders-list";
import { ProviderBidsTable } from "@/components/provider/provider-bids-table";
import { ProviderLeasesTable } from "@/components/provider/provider-leases-table";
import { ProviderLiveRefresh } from "@/components/provider/provider-live-refresh";
import { ProviderProfileForm } from "@/components/provider/provider-profile-form";
import { perHour } from "@/lib/format";
import { getProviderDashboard } from "@/lib/market/provider-dashboard";
import { requirePagePrincipal } from "../_lib/session";
import {
  addInventoryItem,
  closeOwnBid,
  closeProviderLease,
  placeBidOnOrder,
  removeInventoryItem,
  saveProviderProfile,
} from "./actions";

export const metadata: Metadata = { title: "Provider" };

export default async function ProviderPage() {
  const principal = await requirePagePrincipal("provider", "/provider");
  const now = new Date();
  const dashboard = await getProviderDashboard(principal, now);

  if (!dashboard) {
    return (
      <>
        <PageHeader
          title="Register as a provider"
          description="Tell tenants who you are and where your hardware runs. Next you list GPUs, and orders your capacity can serve appear on this page for you to bid on."
        />
        <div className="grid gap-6 lg:grid-cols-3">
          <Card title="Provider profile" className="min-w-0 lg:col-span-2">
            <ProviderProfileForm
              action={saveProviderProfile}
              profile={null}
              submitLabel="Register provider"
            />
          </Card>
          <Card title="How it works" className="lg:self-start">
            <ol className="list-decimal space-y-2 pl-5 text-sm text-slate-600">
              <li>Register your provider: name, endpoint, region and attributes.</li>
              <li>List inventory: GPU model, VRAM, count, CPU, memory and storage.</li>
              <li>Bid on open orders at or under the tenant&apos;s max hourly price.</li>
              <li>When a tenant accepts, the lease starts and your GPUs are allocated.</li>
            </ol>
          </Card>
        </div>
      </>
    );
  }

  const { provider, inventory, servableOrders, bids, leases } = dashboard;
  const totalGpus = inventory.reduce((sum, item) => sum + item.gpu.count, 0);
  const allocatedGpus = inventory.reduce((sum, item) => sum + item.allocated.gpu, 0);
  const openBids = bids.filter(({ bid }) => bid.state === "open").length;
  const runningLeases = leases.filter(({ lease }) => lease.state !== "closed");
  const earningPerHour = runningLeases.reduce((sum, { lease }) => sum + lease.pricePerHour, 0n);

  // Keyed so React keeps each section's form state when sections appear above it.
  const hasHistory = inventory.length > 0 || bids.length > 0 || leases.length > 0;
  const sections = [
    <Card
      key="orders"
      title="Open orders you can serve"
      description="Bid at or under the tenant's max price. The lowest bid usually wins; a bid holds for 5 minutes."
    >
      <OpenOrdersList
        orders={servableOrders}
        bidAction={placeBidOnOrder}
        hasInventory={inventory.length > 0}
        now={now}
      />
    </Card>,
    hasHistory && (
      <Card key="bids" title="Your bids">
        <ProviderBidsTable bids={bids} closeAction={closeOwnBid} now={now} />
      </Card>
    ),
    hasHistory && (
      <Card key="leases" title="Your leases">
        <ProviderLeasesTable leases={leases} closeAction={closeProviderLease} now={now} />
      </Card>
    ),
    <Card
      key="inventory"
      title="Inventory"
      description="Free capacity is what you can bid with; leased GPUs free up when their lease closes."
    >
      <InventoryTable items={inventory} removeAction={removeInventoryItem} />
    </Card>,

    <div key="forms" className="grid gap-6 lg:grid-cols-2">
      <div id="add-inventory" className="min-w-0 scroll-mt-4">
        <Card
          title="Add inventory"
          description="One row per machine or set of identical nodes."
          className="h-full"
        >
          <AddInventoryForm action={addInventoryItem} />
        </Card>
      </div>
      <Card
        className="min-w-0"
        title="Provider profile"
        description="Orders can require your region and attributes."
      >
        <ProviderProfileForm
          action={saveProviderProfile}
          profile={{
            name: provider.name,
            hostUri: provider.hostUri,
            region: provider.region,
            attributes: provider.attributes,
          }}
          submitLabel="Save profile"
        />
      </Card>
    </div>,
  ];

  return (
    <>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-2">
            {provider.name}
            {provider.status !== "active" && <StateBadge state={provider.status} />}
          </span>
        }
        description={
          <>
            Provider in <span className="font-medium text-slate-800">{provider.region}</span>
            <span className="max-sm:hidden"> · </span>
            <span className="block break-all font-mono text-xs sm:inline sm:font-sans sm:text-sm">
              {provider.hostUri}
            </span>
          </>
        }
        actions={
          <>
            <ProviderLiveRefresh />
            <Link href="/provider/verification" className={buttonClasses("secondary", "sm")}>
              Verification ›
            </Link>
            <Link href="/provider/earnings" className={buttonClasses("secondary", "sm")}>
              Earnings ›
            </Link>
          </>
        }
      />

      <dl className="mb-6 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5 max-sm:[&>*:last-child]:col-span-2">
        <Stat
          label="GPUs listed"
          value={totalGpus}
          hint={`${inventory.length} machine${inventory.length === 1 ? "" : "s"}`}
        />
        <Stat label="GPUs free" value={totalGpus - allocatedGpus} hint={`${allocatedGpus} leased`} />
        <Stat label="Open orders" value={servableOrders.length} hint="you can serve" />
        <Stat label="Open bids" value={openBids} />
        <Stat
          label="Earning"
          value={perHour(earningPerHour)}
          hint={`${runningLeases.length} active lease${runningLeases.length === 1 ? "" : "s"}`}
        />
      </dl>

      <div className="space-y-6">{sections}</div>
    </>
  );
}
