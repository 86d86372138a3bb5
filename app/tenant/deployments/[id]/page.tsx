import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DeploymentLive } from "@/components/deployment/deployment-live";
import { DeploymentOrder } from "@/components/deployment/deployment-order";
import { DeploymentTimeline } from "@/components/deployment/deployment-timeline";
import { ManifestVersion } from "@/components/deployment/manifest-version";
import { SdlSource } from "@/components/deployment/sdl-source";
import { TimeAgo } from "@/components/deployment/time-ago";
import { EscrowNotConfigured } from "@/components/escrow/escrow-notice";
import { EscrowPanel } from "@/components/escrow/escrow-panel";
import { LeaseEscrowLine } from "@/components/escrow/lease-escrow";
import { tokenOf } from "@/components/escrow/token-amount";
import { StateBadge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { ConfirmAction } from "@/components/ui/confirm-action";
import type { Principal } from "@/lib/auth/principal";
import { chainRuntime } from "@/lib/chain/runtime";
import { getDeploymentFor } from "@/lib/deployments/deployment-queries";
import { escrowForCaller } from "@/lib/escrow/escrow-service";
import { perHour } from "@/lib/format";
import { loadOrNotFound, requirePagePrincipal } from "../../../_lib/session";
import { autoTopUpAction, depositAction } from "../../actions";
import { walletOrNull } from "../../wallet-or-null";
import { acceptDeploymentBidAction, closeDeploymentAction } from "../actions";

export const metadata: Metadata = { title: "Deployment" };

export default async function DeploymentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await requirePagePrincipal("tenant", `/tenant/deployments/${id}`);
  const now = new Date();
  const { deployment, sdl, orders, bids, leases, timeline } = await loadOrNotFound(() =>
    getDeploymentFor(principal, id, now),
  );
  if (deployment.tenantId !== principal.accountId) notFound();
  const runtime = chainRuntime();
  const token = runtime ? tokenOf(runtime.settings) : null;

  const active = deployment.state === "active";
  const runningLeases = leases.filter((lease) => lease.state !== "closed");
  const spend = runningLeases.reduce((sum, lease) => sum + lease.pricePerHour, 0n);
  const leaseOf = (orderId: string) =>
    runningLeases.find((lease) => lease.orderId === orderId) ??
    leases
      .filter((lease) => lease.orderId === orderId)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0] ??
    null;

  return (
    <div className="space-y-6">
      <div>
        <Link href="/tenant/deployments" className="text-sm font-medium text-slate-500 hover:text-slate-800">
          ← Deployments
        </Link>
        <div className="mt-2 flex flex-wrap items-start justify-between gap-4">
          <div className="min-w-0">
            <h1 className="flex flex-wrap items-center gap-3 text-2xl font-bold tracking-tight break-words text-slate-900">
              <span className="min-w-0 break-all sm:break-normal">{deployment.name}</span>
              <StateBadge state={deployment.state} />
            </h1>
            <div className="mt-2 flex flex-wrap items-center gap-x-4 gap-y-1 text-sm">
              <ManifestVersion version={deployment.manifestVersion} />
              <span className="text-slate-500">
                Posted <TimeAgo date={deployment.createdAt} now={now} />
              </span>
              {runningLeases.length > 0 && (
                <span className="text-slate-500">
                  Spend <span className="font-semibold tabular-nums text-slate-900">{perHour(spend)}</span>
                </span>
              )}
            </div>
            <p className="mt-1 text-sm text-slate-600" data-testid="auto-accept-status">
              {deployment.autoAcceptSeconds !== null
                ? `Auto-accepts the cheapest bid ${deployment.autoAcceptSeconds} s after opening.`
                : "Auto-accept is off: you choose the bid."}
            </p>
          </div>
          <div className="flex flex-wrap items-center gap-3">
            {active && (
              <DeploymentLive deploymentId={deployment.id} orderIds={orders.map((order) => order.id)} />
            )}
            {active && (
              <ConfirmAction
                action={closeDeploymentAction}
                fields={{ deploymentId: deployment.id }}
                label="Close deployment"
                prompt="Close its orders and leases?"
                confirmLabel="Close deployment"
                accessibleName={`Close deployment ${deployment.name}`}
              />
            )}
          </div>
        </div>
      </div>

      {!active && (
        <div
          className="rounded-lg bg-slate-100 px-4 py-3 text-sm text-slate-700 ring-1 ring-inset ring-slate-200"
          role="status"
        >
          This deployment was closed
          {deployment.closedAt && (
            <>
              {" "}
              <TimeAgo date={deployment.closedAt} now={now} />
            </>
          )}
          . Its orders and leases are closed and take no more bids.{" "}
          <Link href="/tenant/deployments/new" className="font-semibold text-brand-600 hover:text-brand-700">
            Post a new deployment
          </Link>
        </div>
      )}

      <EscrowSection principal={principal} deploymentId={deployment.id} active={active} now={now} />

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          {orders.map((order) => {
            const lease = leaseOf(order.id);
            return (
              <DeploymentOrder
                key={`${order.id}:${order.state}`}
                order={order}
                bids={bids.filter((bid) => bid.orderId === order.id)}
                lease={lease}
                leaseDetail={
                  lease?.escrow && token && <LeaseEscrowLine escrow={lease.escrow} token={token} />
                }
                autoAcceptSeconds={deployment.autoAcceptSeconds}
                now={now}
                acceptAction={acceptDeploymentBidAction.bind(null, deployment.id)}
              />
            );
          })}
        </div>
        <Card title="Timeline" className="min-w-0 self-start">
          <DeploymentTimeline steps={timeline} active={active} now={now} />
        </Card>
      </div>

      {sdl !== null && <SdlSource sdl={sdl} />}
    </div>
  );
}

/** The deployment's escrow, or a calm note when no chain is configured. */
async function EscrowSection({
  principal,
  deploymentId,
  active,
  now,
}: {
  principal: Principal;
  deploymentId: string;
  active: boolean;
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
  const [escrow, wallet] = await Promise.all([
    escrowForCaller(runtime.settings, principal, deploymentId),
    active ? walletOrNull(runtime, principal.accountId) : null,
  ]);
  return (
    <EscrowPanel
      escrow={escrow}
      token={tokenOf(runtime.settings)}
      deploymentId={deploymentId}
      active={active}
      walletAvailable={wallet?.available ?? null}
      requestKey={randomUUID()}
      depositAction={depositAction}
      autoTopUpAction={autoTopUpAction}
      now={now}
    />
  );
}
