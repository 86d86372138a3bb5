import { LeaseStateWithReason } from "@/components/ui/lease-state";
import { EmptyState } from "@/components/ui/card";
import { ConfirmAction } from "@/components/ui/confirm-action";
import type { FormAction } from "@/components/ui/form-state";
import { ShortId } from "@/components/ui/short-id";
import { StackCell, StackRow, StackTable } from "@/components/ui/stack-table";
import { perHour, timeAgo } from "@/lib/format";
import type { LeaseRecord } from "@/lib/market/market.repository";

export function AdminLeasesTable({
  leases,
  accountLabels,
  closeAction,
  now,
}: {
  leases: LeaseRecord[];
  accountLabels: Map<string, string>;
  closeAction: FormAction;
  now: Date;
}) {
  if (leases.length === 0) {
    return (
      <EmptyState title="No leases match this filter">
        A lease starts when a tenant accepts a bid; clear the filter to see all.
      </EmptyState>
    );
  }
  return (
    <StackTable head={["Lease", "Provider", "Tenant", "Price", "State", "Started", ""]}>
      {leases.map((lease) => (
        <StackRow key={lease.id}>
          <StackCell label="" primary>
            <ShortId id={lease.id} />
          </StackCell>
          <StackCell label="Provider">
            <div className="font-medium text-slate-900">{lease.provider.name}</div>
            <div className="text-xs text-slate-500">{lease.provider.region}</div>
          </StackCell>
          <StackCell label="Tenant" className="max-w-56 truncate">
            {accountLabels.get(lease.tenantId) ?? <ShortId id={lease.tenantId} />}
          </StackCell>
          <StackCell label="Price" className="font-semibold tabular-nums text-slate-900">
            {perHour(lease.pricePerHour)}
          </StackCell>
          <StackCell label="State">
            <LeaseStateWithReason state={lease.state} closeReason={lease.closeReason} viewer="admin" />
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
                prompt="Stops the workload."
                accessibleName={`Close lease of ${lease.provider.name}`}
              />
            )}
          </StackCell>
        </StackRow>
      ))}
    </StackTable>
  );
}
