import Link from "next/link";
import type { ReactNode } from "react";
import { PriceSnapshot } from "@/components/market/price-snapshot";
import { buttonClasses } from "@/components/ui/button";
import type { Role } from "@/lib/auth/principal";
import { getMarketOverview } from "@/lib/market/market-overview";
import { currentPrincipal } from "./_lib/session";

const DASHBOARDS: { role: Role; href: string; title: string; description: string }[] = [
  {
    role: "tenant",
    href: "/tenant",
    title: "Tenant dashboard",
    description: "Post orders, watch bids arrive, run leases.",
  },
  {
    role: "provider",
    href: "/provider",
    title: "Provider dashboard",
    description: "Your inventory, open orders to bid on, your leases.",
  },
  {
    role: "admin",
    href: "/admin",
    title: "Admin",
    description: "Accounts, orders, bids and leases across the market.",
  },
];

const STEPS = [
  {
    title: "Post what you need",
    body: "GPU model and count, CPU, memory, disk, region — and the most you will pay per hour.",
  },
  {
    title: "Providers bid it down",
    body: "Providers whose free hardware fits your order bid at or under your price. Bids appear live.",
  },
  {
    title: "Accept and run",
    body: "Pick the bid you want. The lease starts at once and you pay its hourly price until you close it.",
  },
];

function Check({ children }: { children: ReactNode }) {
  return (
    <li className="flex gap-2">
      <svg aria-hidden viewBox="0 0 20 20" className="mt-0.5 h-4 w-4 shrink-0 fill-brand-600">
        <path d="M16.7 5.3a1 1 0 0 1 0 1.4l-8 8a1 1 0 0 1-1.4 0l-4-4a1 1 0 1 1 1.4-1.4L8 12.6l7.3-7.3a1 1 0 0 1 1.4 0Z" />
      </svg>
      <span>{children}</span>
    </li>
  );
}

export default async function HomePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [principal, overview, { missingRole }] = await Promise.all([
    currentPrincipal(),
    getMarketOverview(),
    searchParams,
  ]);
  const dashboards = principal ? DASHBOARDS.filter((entry) => principal.roles.includes(entry.role)) : [];

  return (
    <div className="space-y-14 sm:space-y-20">
      {typeof missingRole === "string" && principal && (
        <div
          role="status"
          className="rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-amber-200 ring-inset"
        >
          Your account does not have the {missingRole} role, so that page is not available to you.
        </div>
      )}

      <section className="grid items-center gap-10 lg:grid-cols-5">
        <div className="lg:col-span-3">
          <p className="text-sm font-semibold text-brand-600">GPU cloud by reverse auction</p>
          <h1 className="mt-2 text-3xl font-bold tracking-tight text-balance text-slate-900 sm:text-5xl">
            Rent data-centre GPUs at the price providers compete for.
          </h1>
          <p className="mt-4 max-w-xl text-lg text-slate-600">
            Bidcloud is a marketplace for GPU compute. AI teams post the hardware they need and a maximum
            hourly price; providers with idle H100s, A100s, L40S and RTX 4090s bid for the work. Money sits in
            escrow and reaches the provider only for time the workload verifiably ran.
          </p>
          {principal ? (
            <div className="mt-8">
              <h2 className="text-sm font-semibold text-slate-900">Your dashboards</h2>
              <ul className="mt-3 grid gap-3 sm:grid-cols-2">
                {dashboards.map((entry) => (
                  <li key={entry.href}>
                    <Link
                      href={entry.href}
                      className="block rounded-lg bg-white p-4 shadow-xs ring-1 ring-slate-200 hover:ring-brand-600"
                    >
                      <span className="block font-semibold text-slate-900">{entry.title} →</span>
                      <span className="mt-0.5 block text-sm text-slate-600">{entry.description}</span>
                    </Link>
                  </li>
                ))}
                <li>
                  <Link
                    href="/market"
                    className="block rounded-lg bg-white p-4 shadow-xs ring-1 ring-slate-200 hover:ring-brand-600"
                  >
                    <span className="block font-semibold text-slate-900">Market →</span>
                    <span className="mt-0.5 block text-sm text-slate-600">
                      Capacity and winning prices per GPU model.
                    </span>
                  </Link>
                </li>
              </ul>
            </div>
          ) : (
            <div className="mt-8 flex flex-wrap items-center gap-3">
              <Link href="/sign-up" className={buttonClasses("primary")}>
                Start renting GPUs
              </Link>
              <Link href="/market" className={buttonClasses("secondary")}>
                Browse the market
              </Link>
              <Link
                href="/sign-up?role=provider"
                className="text-sm font-semibold text-brand-600 hover:text-brand-700 sm:ml-2"
              >
                Have idle GPUs? Become a provider →
              </Link>
            </div>
          )}
        </div>
        <div className="lg:col-span-2">
          <PriceSnapshot models={overview.gpuModels} />
          <p className="mt-2 text-xs text-slate-500">
            {overview.totals.freeGpus} of {overview.totals.gpus} GPUs free across {overview.totals.providers}{" "}
            provider
            {overview.totals.providers === 1 ? "" : "s"} · {overview.totals.openOrders} open order
            {overview.totals.openOrders === 1 ? "" : "s"}
          </p>
        </div>
      </section>

      <section aria-labelledby="how-title">
        <h2 id="how-title" className="text-xl font-bold tracking-tight text-slate-900">
          How it works
        </h2>
        <ol className="mt-6 grid gap-4 sm:grid-cols-3">
          {STEPS.map((step, index) => (
            <li key={step.title} className="rounded-xl bg-white p-5 shadow-xs ring-1 ring-slate-200">
              <span className="inline-flex h-7 w-7 items-center justify-center rounded-full bg-brand-50 text-sm font-bold text-brand-700">
                {index + 1}
              </span>
              <h3 className="mt-3 font-semibold text-slate-900">{step.title}</h3>
              <p className="mt-1 text-sm text-slate-600">{step.body}</p>
            </li>
          ))}
        </ol>
      </section>

      <section className="grid gap-6 sm:grid-cols-2" aria-label="Who Bidcloud is for">
        <div className="rounded-xl bg-white p-6 shadow-xs ring-1 ring-slate-200">
          <h2 className="text-lg font-semibold text-slate-900">For AI teams and developers</h2>
          <ul className="mt-4 space-y-2 text-sm text-slate-700">
            <Check>Training, fine-tuning and inference on GPUs from many providers</Check>
            <Check>Set your own ceiling; providers compete below it</Check>
            <Check>Prices per hour in dollars, no commitments — close a lease any time</Check>
            <Check>A REST API and API keys for everything the dashboard does</Check>
          </ul>
          <Link
            href={principal ? "/tenant/orders/new" : "/sign-up"}
            className={`${buttonClasses("primary")} mt-6`}
          >
            Post an order
          </Link>
        </div>
        <div className="rounded-xl bg-white p-6 shadow-xs ring-1 ring-slate-200">
          <h2 className="text-lg font-semibold text-slate-900">For GPU providers</h2>
          <ul className="mt-4 space-y-2 text-sm text-slate-700">
            <Check>Turn idle data-centre or workstation GPUs into income</Check>
            <Check>See only the orders your free hardware can serve</Check>
            <Check>Bid by hand or let your agent bid from a pricing strategy</Check>
            <Check>Paid for verified running time, settled in USDC or AKT</Check>
          </ul>
          <Link
            href={principal?.roles.includes("provider") ? "/provider" : "/sign-up?role=provider"}
            className={`${buttonClasses("secondary")} mt-6`}
          >
            {principal?.roles.includes("provider") ? "Go to your provider dashboard" : "Become a provider"}
          </Link>
        </div>
      </section>
    </div>
  );
}
