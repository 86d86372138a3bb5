import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ActionButton } from "@/components/ui/action-button";
import { LeaseView } from "@/components/verify/lease-view";
import { getLeaseFor } from "@/lib/market/market-queries";
import { leaseVerification } from "@/lib/verify/verification-queries";
import { loadOrNotFound, requirePagePrincipal } from "../../../_lib/session";
import { closeLeaseAction } from "../../actions";

export const metadata: Metadata = { title: "Lease" };

export default async function TenantLeasePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await requirePagePrincipal("tenant", `/tenant/leases/${id}`);
  const now = new Date();
  const [lease, verification] = await loadOrNotFound(() =>
    Promise.all([getLeaseFor(principal, id), leaseVerification(principal, id, now)]),
  );
  if (lease.tenantId !== principal.accountId) notFound();

  return (
    <LeaseView
      lease={lease}
      verification={verification}
      viewer="tenant"
      now={now}
      back={
        lease.deploymentId
          ? { href: `/tenant/deployments/${lease.deploymentId}`, label: "Deployment" }
          : { href: `/tenant/orders/${lease.orderId}`, label: "Order" }
      }
      actions={
        lease.state !== "closed" && (
          <ActionButton
            action={closeLeaseAction.bind(null, lease.id, lease.orderId)}
            label="Close lease"
            pendingLabel="Closing…"
            variant="danger"
            size="md"
            confirm="Close this lease? The provider stops your workload and the unused deposit comes back to you."
          />
        )
      }
    />
  );
}
