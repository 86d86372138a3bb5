import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { buttonClasses } from "@/components/ui/button";
import { Card, EmptyState, PageHeader, Stat } from "@/components/ui/card";
import { formatDuration, verifiedPercent } from "@/components/verify/verification-format";
import { VerificationRecordTable } from "@/components/verify/verification-record-table";
import { VerificationRefresh } from "@/components/verify/verification-refresh";
import { getOwnProvider } from "@/lib/market/market-queries";
import { providerVerificationRecord } from "@/lib/verify/verification-queries";
import { requirePagePrincipal } from "../../_lib/session";

export const metadata: Metadata = { title: "Verification record" };

/** Last heartbeats and verified time move with every check while a lease runs. */
const ACTIVE_REFRESH_MS = 10_000;

export default async function ProviderVerificationPage() {
  const principal = await requirePagePrincipal("provider", "/provider/verification");
  const header = (actions?: ReactNode) => (
    <PageHeader
      title="Verification record"
      description="The verifier checks each running lease every few seconds: a fresh heartbeat signed by your key, every service ready, its URIs answering. Only verified time is paid from the tenant's escrow."
      actions={
        <>
          {actions}
          <Link href="/provider" className={buttonClasses("secondary")}>
            ← Provider dashboard
          </Link>
        </>
      }
    />
  );
  if (!(await getOwnProvider(principal))) {
    return (
      <>
        {header()}
        <Card>
          <EmptyState
            title="Register as a provider first"
            action={
              <Link href="/provider" className={buttonClasses("primary")}>
                Register
              </Link>
            }
          >
            Your record starts with your first lease.
          </EmptyState>
        </Card>
      </>
    );
  }

  const now = new Date();
  const { leases, totals } = await providerVerificationRecord(principal, now);
  const running = leases.some((lease) => lease.leaseState !== "closed");
  const percent = verifiedPercent(totals.verifiedSeconds, totals.elapsedSeconds);

  return (
    <>
      {header(<VerificationRefresh pollEveryMs={running ? ACTIVE_REFRESH_MS : null} />)}
      <dl className="mb-6 grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat
          label="Verified time"
          value={<span data-testid="verified-share">{percent}%</span>}
          hint={`${formatDuration(totals.verifiedSeconds)} of ${formatDuration(totals.elapsedSeconds)}, recent leases`}
        />
        <Stat
          label="Failed checks"
          value={totals.failedChecks}
          hint={`of ${totals.checks} check${totals.checks === 1 ? "" : "s"}`}
        />
        <Stat label="Closed unstable" value={totals.closedUnstable} hint="failed checks in a row" />
        <Stat label="Manifest timeouts" value={totals.closedManifestTimeout} hint="never started running" />
      </dl>
      <Card
        title="Recent leases"
        description={
          leases.length > 0 ? "Newest first. Open a lease for its uptime bar, events and logs." : undefined
        }
      >
        <VerificationRecordTable leases={leases} now={now} />
      </Card>
    </>
  );
}
