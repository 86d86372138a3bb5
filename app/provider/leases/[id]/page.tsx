import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { LeaseView } from "@/components/verify/lease-view";
import { getLeaseFor } from "@/lib/market/market-queries";
import { leaseVerification } from "@/lib/verify/verification-queries";
import { loadOrNotFound, requirePagePrincipal } from "../../../_lib/session";
import { closeProviderLease } from "../../actions";

export const metadata: Metadata = { title: "Lease" };

export default async function ProviderLeasePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await requirePagePrincipal("provider", `/provider/leases/${id}`);
  const now = new Date();
  const [lease, verification] = await loadOrNotFound(() =>
    Promise.all([getLeaseFor(principal, id), leaseVerification(principal, id, now)]),
  );
  if (lease.provider.accountId !== principal.accountId) notFound();

  return (
    <LeaseView
      lease={lease}
      verification={verification}
      viewer="provider"
      now={now}
      back={{ href: "/provider/verification", label: "Verification record" }}
      actions={
        lease.state !== "closed" && (
          <ConfirmAction
            action={closeProviderLease}
            fields={{ id: lease.id }}
            label="Close lease"
            confirmLabel="Close lease"
            prompt="Stop the workload?"
            accessibleName="Close this lease"
          />
        )
      }
    />
  );
}
