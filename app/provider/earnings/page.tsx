import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import Link from "next/link";
import { ChainPendingRefresh } from "@/components/escrow/chain-pending-refresh";
import { ChainTxStatusBadge } from "@/components/escrow/escrow-badges";
import { EscrowNotConfigured } from "@/components/escrow/escrow-notice";
import { PayoutsTable } from "@/components/escrow/payouts-table";
import { formatTokens, tokenOf } from "@/components/escrow/token-amount";
import { TokenValue } from "@/components/escrow/token-value";
import { WithdrawForm } from "@/components/escrow/withdraw-form";
import { buttonClasses } from "@/components/ui/button";
import { Card, EmptyState, PageHeader, Stat } from "@/components/ui/card";
import { chainRuntime } from "@/lib/chain/runtime";
import { earningsForCaller } from "@/lib/escrow/escrow-service";
import { requirePagePrincipal } from "../../_lib/session";
import { withdrawEarnings } from "../actions";

export const metadata: Metadata = { title: "Earnings" };

export default async function ProviderEarningsPage() {
  const principal = await requirePagePrincipal("provider", "/provider/earnings");
  const runtime = chainRuntime();
  const header = (
    <PageHeader
      title="Earnings"
      description="What tenants' escrows pay you for verified running time, and your withdrawals. Settlement pays each running lease regularly; you withdraw what it has paid."
      actions={
        <Link href="/provider" className={buttonClasses("secondary")}>
          ← Provider dashboard
        </Link>
      }
    />
  );
  if (!runtime) {
    return (
      <>
        {header}
        <Card>
          <EscrowNotConfigured />
        </Card>
      </>
    );
  }

  const now = new Date();
  const token = tokenOf(runtime.settings);
  const earnings = await earningsForCaller(runtime.settings, principal);
  const pending = earnings.pendingWithdrawal;
  const blockedReason = pending
    ? "Wait for it to confirm."
    : earnings.withdrawable <= 0n
      ? "Nothing settled to withdraw yet."
      : null;
  const nothingSettled = earnings.totalEarned === 0n && earnings.payouts.length === 0;

  return (
    <>
      {header}
      <dl className="mb-6 grid grid-cols-2 gap-3 sm:grid-cols-3 max-sm:[&>*:last-child]:col-span-2">
        <Stat
          label="Withdrawable"
          value={
            <span data-testid="earnings-withdrawable">
              <TokenValue units={earnings.withdrawable} token={token} />
            </span>
          }
          hint="settled and yours"
        />
        <Stat
          label="Accrued"
          value={<TokenValue units={earnings.accrued} token={token} prefix="≈ " />}
          hint="running since the last settlement (estimate)"
        />
        <Stat
          label="Total earned"
          value={<TokenValue units={earnings.totalEarned} token={token} />}
          hint="all settlements"
        />
      </dl>

      <div className="space-y-6">
        <Card
          title="Withdraw"
          description={`Sends everything settled to you, in ${token.symbol}, in one chain transaction.`}
          actions={<ChainPendingRefresh pending={pending !== null} label="Withdrawal confirming…" />}
        >
          {pending && (
            <p role="status" className="mb-4 flex flex-wrap items-center gap-2 text-sm text-slate-700">
              <ChainTxStatusBadge status={pending.status} />A withdrawal is on its way to the chain.
            </p>
          )}
          <div className="max-w-xl">
            <WithdrawForm
              action={withdrawEarnings}
              requestKey={randomUUID()}
              walletAddress={earnings.address}
              amountLabel={earnings.withdrawable > 0n ? formatTokens(earnings.withdrawable, token) : null}
              blockedReason={blockedReason}
            />
          </div>
        </Card>

        <Card title="Payouts" description="Your withdrawals, newest first.">
          {nothingSettled ? (
            <EmptyState
              title="Earnings appear here after your first lease is settled"
              action={
                earnings.accrued === 0n && (
                  <Link href="/provider" className={buttonClasses("primary")}>
                    Find orders to bid on
                  </Link>
                )
              }
            >
              {earnings.accrued > 0n
                ? "Your lease is running: the next settlement pays the verified time from the tenant's escrow, and you withdraw it here."
                : "Bid on open orders you can serve. Once a tenant accepts and your workload runs, settlement pays you from the tenant's escrow for the verified running time, and you withdraw it here."}
            </EmptyState>
          ) : (
            <PayoutsTable payouts={earnings.payouts} token={token} now={now} />
          )}
        </Card>
      </div>
    </>
  );
}
