import type { Metadata } from "next";
import Link from "next/link";
import { DeploymentsList } from "@/components/deployment/deployments-list";
import { buttonClasses } from "@/components/ui/button";
import { Card, EmptyState, PageHeader, Stat } from "@/components/ui/card";
import { listDeploymentsFor } from "@/lib/deployments/deployment-queries";
import { perHour } from "@/lib/format";
import { requirePagePrincipal } from "../../_lib/session";

export const metadata: Metadata = { title: "Deployments" };

const DEPLOYMENTS_SHOWN = 100;

export default async function DeploymentsPage() {
  const principal = await requirePagePrincipal("tenant", "/tenant/deployments");
  const now = new Date();
  const deployments = await listDeploymentsFor(principal, { limit: DEPLOYMENTS_SHOWN }, now);
  const active = deployments.filter((summary) => summary.deployment.state === "active");
  const running = deployments
    .flatMap((summary) => summary.leases)
    .filter((lease) => lease.state !== "closed");
  const spend = running.reduce((sum, lease) => sum + lease.pricePerHour, 0n);

  const newButton = (
    <Link href="/tenant/deployments/new" className={buttonClasses("primary")}>
      New deployment
    </Link>
  );

  return (
    <div className="space-y-6">
      <div>
        <Link href="/tenant" className="text-sm font-medium text-slate-500 hover:text-slate-800">
          ← Tenant dashboard
        </Link>
        <div className="mt-2">
          <PageHeader
            title="Deployments"
            description="Workloads you posted as Akash SDL. Each placement group is an order that providers bid on."
            actions={newButton}
          />
        </div>
      </div>

      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-3">
        <Stat label="Active" value={active.length} hint={`${deployments.length} in total`} />
        <Stat label="Running leases" value={running.length} hint="across your deployments" />
        <Stat label="Spend rate" value={perHour(spend)} hint="of running leases" />
      </dl>

      <Card title="Your deployments" description="Newest first.">
        {deployments.length === 0 ? (
          <EmptyState title="Post your first deployment — start from a template" action={newButton}>
            Pick a ready-made workload such as Llama 3.1 on vLLM, Ollama or ComfyUI, build one with a short
            form, or paste your own Akash SDL. Providers bid within seconds.
          </EmptyState>
        ) : (
          <DeploymentsList deployments={deployments} now={now} />
        )}
      </Card>
    </div>
  );
}
