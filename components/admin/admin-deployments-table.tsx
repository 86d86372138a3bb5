import { StateBadge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/card";
import { ConfirmAction } from "@/components/ui/confirm-action";
import type { FormAction } from "@/components/ui/form-state";
import { ShortId } from "@/components/ui/short-id";
import { StackCell, StackRow, StackTable } from "@/components/ui/stack-table";
import { perHour, timeAgo } from "@/lib/format";
import type { DeploymentSummary } from "@/lib/deployments/deployment-queries";

/** Every tenant's deployments: what they run, where, at what price; admins can close one. */
export function AdminDeploymentsTable({
  deployments,
  accountLabels,
  closeAction,
  now,
}: {
  deployments: DeploymentSummary[];
  accountLabels: Map<string, string>;
  closeAction: FormAction;
  now: Date;
}) {
  if (deployments.length === 0) {
    return (
      <EmptyState title="No deployments match this filter">
        Tenants post deployments as Akash SDL from their dashboard, the API or the bidcloud CLI; clear the
        filter to see all.
      </EmptyState>
    );
  }
  return (
    <StackTable head={["Deployment", "Tenant", "Orders", "Leases", "Spend", "State", "Posted", ""]}>
      {deployments.map(({ deployment, orders, leases }) => {
        const running = leases.filter((lease) => lease.state !== "closed");
        const openOrders = orders.filter((order) => order.state === "open").length;
        return (
          <StackRow key={deployment.id}>
            <StackCell label="" primary>
              <div className="font-medium text-slate-900">{deployment.name}</div>
              <div className="text-xs text-slate-500">
                manifest{" "}
                <span className="font-mono" title={deployment.manifestVersion}>
                  {deployment.manifestVersion.slice(0, 12)}…
                </span>
                {deployment.autoAcceptSeconds !== null && ` · auto-accept ${deployment.autoAcceptSeconds} s`}
              </div>
              <ShortId id={deployment.id} />
            </StackCell>
            <StackCell label="Tenant" className="max-w-56 truncate">
              {accountLabels.get(deployment.tenantId) ?? <ShortId id={deployment.tenantId} />}
            </StackCell>
            <StackCell label="Orders" className="tabular-nums">
              {orders.length}
              {openOrders > 0 && <span className="text-slate-500"> ({openOrders} open)</span>}
            </StackCell>
            <StackCell label="Leases" className="tabular-nums">
              {running.length} running
              {leases.length > running.length && (
                <span className="text-slate-500"> · {leases.length - running.length} closed</span>
              )}
            </StackCell>
            <StackCell label="Spend" className="font-semibold tabular-nums text-slate-900">
              {running.length ? perHour(running.reduce((sum, lease) => sum + lease.pricePerHour, 0n)) : "—"}
            </StackCell>
            <StackCell label="State">
              <StateBadge state={deployment.state} />
            </StackCell>
            <StackCell label="Posted" className="text-slate-500">
              {timeAgo(deployment.createdAt, now)}
            </StackCell>
            <StackCell label="" actions>
              {deployment.state !== "closed" && (
                <ConfirmAction
                  action={closeAction}
                  fields={{ id: deployment.id }}
                  label="Close"
                  confirmLabel="Close deployment"
                  prompt="Closes its orders and stops its leases."
                  accessibleName={`Close deployment ${deployment.name}`}
                />
              )}
            </StackCell>
          </StackRow>
        );
      })}
    </StackTable>
  );
}
