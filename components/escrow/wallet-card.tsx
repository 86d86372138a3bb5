import { CopyButton } from "@/components/deployment/copy-button";
import type { ActionResult } from "@/components/ui/action-result";
import { Card } from "@/components/ui/card";
import { FAUCET_TOKENS, type WalletView } from "@/lib/escrow/wallet";
import { ChainPendingRefresh } from "./chain-pending-refresh";
import { FaucetButton } from "./faucet-button";
import { MoneyFigure } from "./money-figure";
import { formatTokenDisplay, formatTokens, type Token } from "./token-amount";
import { TokenValue } from "./token-value";

const GAS_DECIMALS = 18;

/**
 * The tenant's managed wallet: where to send tokens, what it holds, gas for its
 * transactions, and on a local test chain a faucet. Deposits to escrow leave from here.
 */
export function WalletCard({
  wallet,
  token,
  chainId,
  faucetAction,
}: {
  wallet: WalletView;
  token: Token;
  chainId: number;
  faucetAction: () => Promise<ActionResult<unknown>>;
}) {
  const empty = wallet.balance === 0n && wallet.pendingDeposits === 0n;
  const faucetGives = formatTokens(FAUCET_TOKENS * 10n ** BigInt(token.decimals), token);
  return (
    <Card
      title="Wallet"
      description="Your managed wallet: deposits into your deployments' escrow are sent from it. Its key never leaves the server."
      actions={
        <div className="flex flex-wrap items-start gap-2">
          <ChainPendingRefresh pending={wallet.pendingDeposits > 0n} label="Deposit confirming…" />
          {wallet.faucet && (
            <FaucetButton
              action={faucetAction}
              balance={wallet.balance.toString()}
              symbol={token.symbol}
              prominent={empty}
            />
          )}
        </div>
      }
    >
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-[minmax(0,2fr)_minmax(0,1fr)_minmax(0,1fr)]">
        <div className="col-span-2 min-w-0 sm:col-span-1">
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">Deposit address</dt>
          <dd className="mt-0.5 flex flex-wrap items-center gap-1">
            <span data-testid="wallet-address" className="min-w-0 font-mono text-sm break-all text-slate-900">
              {wallet.address}
            </span>
            <CopyButton text={wallet.address} what="deposit address" />
          </dd>
          <dd className="text-xs text-slate-500">
            Send {token.symbol} on chain {chainId} to this address.
          </dd>
        </div>
        <MoneyFigure
          label={`${token.symbol} balance`}
          emphasis
          testId="wallet-balance"
          value={<TokenValue units={wallet.balance} token={token} />}
          hint={
            wallet.pendingDeposits > 0n
              ? `${formatTokens(wallet.pendingDeposits, token)} on its way to escrow`
              : undefined
          }
        />
        <MoneyFigure
          label="Gas"
          value={formatTokenDisplay(wallet.gasBalance, GAS_DECIMALS, 4)}
          hint={
            wallet.gasBalance === 0n ? (
              <span className="text-amber-700">None yet: deposits need a little for fees</span>
            ) : (
              "Native coin; pays transaction fees"
            )
          }
        />
      </dl>
      {empty && (
        <p className="mt-4 rounded-lg border border-dashed border-slate-300 px-4 py-3 text-sm text-slate-600">
          {wallet.faucet
            ? `Your wallet is empty. This marketplace runs on a local test chain: “Get test ${token.symbol}” adds ${faucetGives} and gas to your wallet, so you can try deposits.`
            : `Your wallet is empty. Send ${token.symbol} to the address above, then deposit it into a deployment's escrow from the deployment's page.`}
        </p>
      )}
    </Card>
  );
}
