import Link from "next/link";
import { LeaseStateWithReason } from "@/components/ui/lease-state";
import { EmptyState } from "@/components/ui/card";
import { ConfirmAction } from "@/components/ui/confirm-action";
import type { FormAction } from "@/components/ui/form-state";
import { OrderResources } from "@/components/market/order-resources";
import { gpuRequestLabel } from "@/lib/gpu-names";
import { ShortId } from "@/components/ui/short-id";
import { StackCell, StackRow, StackTable } from "@/components/ui/stack-table";
import { WorkloadSummary } from "@/components/verify/workload-summary";
import { perHour, timeAgo } from "@/lib/format";
import type { LeaseRecord, OrderRecord } from "@/lib/market/market.repository";

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
              <OrderResources
                resources={order.resources}
                count={order.count}
                additionalUnits={order.additionalUnits}
              />
            ) : (
              <ShortId id={lease.orderId} />
            )}
            {order?.deploymentId && lease.state !== "closed" && (
              <p className="mt-1 text-xs text-slate-500">
                <a
                  href={`/api/v1/deployments/${order.deploymentId}/manifest`}
                  target="_blank"
                  rel="noreferrer"
                  className="font-medium text-blue-700 hover:underline"
                >
                  Manifest
                </a>{" "}
                ·{" "}
                {lease.manifestDeliveredAt
                  ? `fetched ${timeAgo(lease.manifestDeliveredAt, now)}`
                  : "not fetched yet: your agent fetches it, or open it here"}
              </p>
            )}
            {lease.state !== "closed" && (
              <div className="mt-1">
                <WorkloadSummary lease={lease} viewer="provider" />
              </div>
            )}
          </StackCell>
          <StackCell label="Tenant">
            <span className="text-xs text-slate-500">tenant</span> <ShortId id={lease.tenantId} />
          </StackCell>
          <StackCell label="Price" className="font-semibold tabular-nums text-slate-900">
            {perHour(lease.pricePerHour)}
          </StackCell>
          <StackCell label="State">
            <LeaseStateWithReason state={lease.state} closeReason={lease.closeReason} viewer="provider" />
          </StackCell>
          <StackCell label="Started" className="text-slate-500">
            {timeAgo(lease.createdAt, now)}
          </StackCell>
          <StackCell label="" actions>
            <div className="inline-flex flex-wrap items-start gap-2 sm:justify-end">
              <Link
                href={`/provider/leases/${lease.id}`}
                className="rounded-md px-2 py-1.5 text-xs font-semibold text-brand-600 hover:bg-brand-50"
              >
                View lease
              </Link>
              {lease.state !== "closed" && (
                <ConfirmAction
                  action={closeAction}
                  fields={{ id: lease.id }}
                  label="Close"
                  confirmLabel="Close lease"
                  prompt="Stop the workload?"
                  accessibleName={`Close lease for ${order ? gpuRequestLabel(order.resources.gpu) : "order"}`}
                />
              )}
            </div>
          </StackCell>
        </StackRow>
      ))}
    </StackTable>
  );
}
