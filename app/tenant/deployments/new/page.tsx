import type { Metadata } from "next";
import Link from "next/link";
import { DeploymentComposer } from "@/components/deployment/deployment-composer";
import type { TemplateCard } from "@/components/deployment/template-gallery";
import { PageHeader } from "@/components/ui/card";
import { listTemplatesWithEstimates } from "@/lib/deployments/template-gallery";
import { env } from "@/lib/env";
import { perHour } from "@/lib/format";
import { requirePagePrincipal } from "../../../_lib/session";
import { createDeploymentAction } from "../actions";

export const metadata: Metadata = { title: "New deployment" };

export default async function NewDeploymentPage() {
  await requirePagePrincipal("tenant", "/tenant/deployments/new");
  const templates: TemplateCard[] = (await listTemplatesWithEstimates()).map(
    ({ estimatedPricePerHour, ...template }) => ({
      ...template,
      estimate: estimatedPricePerHour === null ? null : perHour(estimatedPricePerHour),
    }),
  );

  return (
    <div>
      <Link href="/tenant/deployments" className="text-sm font-medium text-slate-500 hover:text-slate-800">
        ← Deployments
      </Link>
      <div className="mt-2">
        <PageHeader
          title="New deployment"
          description="Describe your workload in Akash SDL — from a template, a short form or your own file. Each placement group becomes an order; providers bid within seconds and you watch the bids arrive live."
        />
      </div>
      <DeploymentComposer
        templates={templates}
        defaultAutoAcceptSeconds={env().AUTO_ACCEPT_SECONDS}
        action={createDeploymentAction}
      />
    </div>
  );
}
