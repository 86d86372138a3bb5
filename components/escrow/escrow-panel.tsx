import Link from "next/link";
import { Card } from "@/components/ui/card";
import type { FormAction } from "@/components/ui/form-state";
import type { EscrowView } from "@/lib/escrow/escrow-queries";
import { IN_FLIGHT_STATUSES } from "@/lib/escrow/outbox";
import { AutoTopUpForm } from "./auto-top-up-form";
import { ChainPendingRefresh } from "./chain-pending-refresh";
import { DepositForm } from "./deposit-form";
import { EscrowStateBadge } from "./escrow-badges";
import { EscrowRunway } from "./escrow-runway";
import { EscrowTransactions } from "./escrow-transactions";
import { MoneyFigure } from "./money-figure";
import { formatTokens, type Token } from "./token-amount";
import { TokenValue } from "./token-value";

/**
 * A deployment's escrow on its page: state, balance and where the money went, how long it
 * lasts, the deposit and auto top-up forms while the deployment is active, and the recent
 * chain transactions. `escrow` is null for a deployment posted before the marketplace had a
 * chain; its first deposit opens one.
 */
/** Writes that follow the tenant's own steps; settlements (every minute) are not among them. */
const TENANT_WAITS_FOR = new Set(["open_account", "deposit", "open_lease", "close_lease", "close_account"]);

export function EscrowPanel({
  escrow,
  token,
  deploymentId,
  active,
  walletAvailable,
  requestKey,
  depositAction,
  autoTopUpAction,
  now,
}: {
  escrow: EscrowView | null;
  token: Token;
  deploymentId: string;
  active: boolean;
  /** What the tenant's wallet can deposit; null when the chain did not answer. */
  walletAvailable: bigint | null;
  requestKey: string;
  depositAction: FormAction;
  autoTopUpAction: FormAction;
  now: Date;
}) {
  // Refresh only while the tenant waits on what its own steps started (opening, deposit,
  // accept, close); settlements run every minute and must not keep the page polling.
  const confirming =
    escrow !== null &&
    escrow.transactions.some(
      (tx) => TENANT_WAITS_FOR.has(tx.kind) && (IN_FLIGHT_STATUSES as readonly string[]).includes(tx.status),
    );
  const funded = escrow !== null && escrow.deposited + escrow.pendingDeposits > 0n;

  return (
    <Card
      className="min-w-0"
      title={
        <span className="flex flex-wrap items-center gap-2">
          Escrow {escrow && <EscrowStateBadge state={escrow.state} />}
        </span>
      }
      description={`${token.symbol} held on chain for this deployment: providers are paid from it for verified running time; what is left comes back to your wallet when you close the deployment.`}
      actions={<ChainPendingRefresh pending={confirming} label="Confirming on chain…" />}
    >
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_19rem]">
        <div className="min-w-0 space-y-4">
          <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
            <MoneyFigure
              label="Balance"
              emphasis
              testId="escrow-balance"
              value={<TokenValue units={escrow?.balance ?? 0n} token={token} />}
              hint={
                escrow && escrow.pendingDeposits > 0n
                  ? `+ ${formatTokens(escrow.pendingDeposits, token)} confirming`
                  : undefined
              }
            />
            <MoneyFigure label="Deposited" value={formatTokens(escrow?.deposited ?? 0n, token)} />
            <MoneyFigure
              label="Paid to providers"
              value={formatTokens(escrow?.paidOut ?? 0n, token)}
              hint={
                escrow && escrow.unsettled > 0n
                  ? `+ about ${formatTokens(escrow.unsettled, token)} since the last settlement`
                  : undefined
              }
            />
            <MoneyFigure label="Refunded" value={formatTokens(escrow?.refunded ?? 0n, token)} />
          </dl>
          {active ? (
            <EscrowRunway escrow={escrow} token={token} />
          ) : (
            <p className="text-sm text-slate-600">{closedNote(escrow, token)}</p>
          )}
        </div>

        {active && (
          <div className="min-w-0 space-y-5 lg:border-l lg:border-slate-100 lg:pl-6">
            <DepositForm
              action={depositAction}
              deploymentId={deploymentId}
              requestKey={requestKey}
              symbol={token.symbol}
              submitLabel={funded ? "Top up" : "Deposit"}
              hint={<WalletHint available={walletAvailable} token={token} />}
            />
            {escrow && (
              <div className="border-t border-slate-100 pt-4">
                <AutoTopUpForm
                  action={autoTopUpAction}
                  deploymentId={deploymentId}
                  token={token}
                  current={escrow.autoTopUp}
                />
              </div>
            )}
          </div>
        )}
      </div>

      <div className="mt-6">
        <h3 className="mb-2 text-sm font-semibold text-slate-900">Recent chain transactions</h3>
        <EscrowTransactions transactions={escrow?.transactions ?? []} token={token} now={now} />
      </div>
    </Card>
  );
}

function WalletHint({ available, token }: { available: bigint | null; token: Token }) {
  if (available === null) return "Your wallet's balance is unknown while the chain does not answer.";
  if (available === 0n) {
    return (
      <>
        Your wallet is empty.{" "}
        <Link href="/tenant#wallet" className="font-semibold text-brand-600 hover:text-brand-700">
          Fund it from your dashboard
        </Link>
      </>
    );
  }
  return `From your wallet: ${formatTokens(available, token)} available.`;
}

function closedNote(escrow: EscrowView | null, token: Token): string {
  if (escrow === null || escrow.deposited + escrow.pendingDeposits === 0n) {
    return "The deployment was closed before any deposit.";
  }
  if (escrow.state === "closed") {
    return `The deployment is closed: its leases were settled and ${formatTokens(escrow.refunded, token)} went back to your wallet.`;
  }
  return "The deployment is closed: its leases are being settled, and what is left goes back to your wallet.";
}
