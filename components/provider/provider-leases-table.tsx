import { StateBadge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/card";
import { ConfirmAction } from "@/components/ui/confirm-action";
import type { FormAction } from "@/components/ui/form-state";
import { ResourceSummary, ShortId } from "@/components/ui/resource-summary";
import { StackCell, StackRow, StackTable } from "@/components/ui/stack-table";
import { gpuLabel, perHour, timeAgo } from "@/lib/format";
import type { LeaseRecord, OrderRecord } from "@/lib/market/market.repository";

const CLOSE_REASONS: Record<string, string> = {
  owner: "by tenant",
  provider: "by you",
  admin: "by admin",
  unstable: "unstable",
  manifest_timeout: "manifest timeout",
  insufficient_funds: "out of funds",
};

export function ProviderLeasesTable({
  leases,
  closeAction,
  now,
}: {
  leases: { lease: LeaseRecord; order: OrderRecord | null }[];
  closeAction: FormAction;
  now: Date;
}) {
  if (leases.length === 0) {
    return (
      <EmptyState title="No leases yet">
        When a tenant accepts one of your bids, the lease appears here and its GPUs show as allocated in your
        inventory.
      </EmptyState>
    );
  }
  return (
    <StackTable head={["Workload", "Tenant", "Price", "State", "Started", ""]}>
      {leases.map(({ lease, order }) => (
        <StackRow key={lease.id}>
          <StackCell label="" primary>
            {order ? (
              <ResourceSummary resources={order.resources} count={order.count} />
            ) : (
              <ShortId id={lease.orderId} />
            )}
          </StackCell>
          <StackCell label="Tenant">
            <span className="text-xs text-slate-500">tenant</span> <ShortId id={lease.tenantId} />
          </StackCell>
          <StackCell label="Price" className="font-semibold tabular-nums text-slate-900">
            {perHour(lease.pricePerHour)}
          </StackCell>
          <StackCell label="State">
            <div className="flex flex-col items-start gap-0.5">
              <StateBadge state={lease.state} />
              {lease.closeReason && (
                <span className="text-xs text-slate-500">{CLOSE_REASONS[lease.closeReason]}</span>
              )}
            </div>
          </StackCell>
          <StackCell label="Started" className="text-slate-500">
            {timeAgo(lease.createdAt, now)}
          </StackCell>
          <StackCell label="" actions>
            {lease.state !== "closed" && (
              <ConfirmAction
                action={closeAction}
                fields={{ id: lease.id }}
                label="Close"
                confirmLabel="Close lease"
                prompt="Stop the workload?"
                accessibleName={`Close lease for ${order ? gpuLabel(order.resources.gpu) : "order"}`}
              />
            )}
          </StackCell>
        </StackRow>
      ))}
    </StackTable>
  );
}
