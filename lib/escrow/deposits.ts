import { walletLabel } from "@/lib/chain/keys";
import { isAdmin, requireRole, type Principal } from "@/lib/auth/principal";
import { db, transaction } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { formatTokenAmount, parseTokenAmount } from "./amounts";
import type { EscrowChain } from "./chain-port";
import { readChain } from "./chain-reads";
import { ensureEscrowAccount, ensureWallet } from "./escrow-accounts";
import { enqueueChainTx, inFlightDeposits } from "./outbox";
import type { EscrowSettings } from "./settings";

/**
 * A tenant moves tokens from its managed wallet into a deployment's escrow. The amount is
 * checked against the wallet (its chain balance less deposits still on their way) before
 * anything is written; then, in one transaction, an approval (once per wallet) and the
 * deposit are queued for the wallet's key. Anyone may top up on chain; through the API the
 * deployment's tenant does.
 */
export async function depositToEscrow(
  chain: EscrowChain,
  settings: EscrowSettings,
  principal: Principal,
  input: { deploymentId: string; amount: unknown; requestKey: string },
) {
  requireRole(principal, "tenant");
  const amount = parseTokenAmount(input.amount, settings.tokenDecimals, "amount");
  const deployment = await deploymentOfCaller(principal, input.deploymentId);
  if (deployment.state === "closed") throw new AppError("INVALID_STATE", "the deployment is closed");

  const address = await transaction((tx) => ensureWallet(tx, settings, principal.accountId));
  const [balance, gas] = await readChain(() =>
    Promise.all([chain.tokenBalance(address), chain.gasBalance(address)]),
  );
  const fromWallet = { chainId: settings.chainId, fromAddress: address };
  const available = balance - (await inFlightDeposits(db(), fromWallet));
  if (amount > available) throw exceedsWallet(available, settings);
  if (gas === 0n) {
    throw new AppError("INSUFFICIENT_FUNDS", "your wallet has no gas to send the deposit", {
      fields: [
        {
          path: "amount",
          message: `your wallet ${address} needs a little of the chain's native coin for gas`,
        },
      ],
    });
  }

  return transaction(async (tx) => {
    const account = await ensureEscrowAccount(tx, settings, deployment);
    if (account.state === "closed") throw new AppError("INVALID_STATE", "the deployment's escrow is closed");
    // The wallet row serializes deposits from one wallet: two racing requests cannot both
    // spend the same balance.
    await tx.$queryRaw`SELECT 1 FROM wallet WHERE "accountId" = ${principal.accountId} FOR UPDATE`;
    const stillAvailable = balance - (await inFlightDeposits(tx, fromWallet));
    if (amount > stillAvailable) throw exceedsWallet(stillAvailable, settings);
    const signer = walletLabel(principal.accountId);
    await enqueueChainTx(tx, {
      chainId: settings.chainId,
      call: { kind: "approve", amount: -1n },
      signer,
      fromAddress: address,
      idempotencyKey: `approve:${settings.chainId}:${settings.escrowAddress}:${address}`,
    });
    const intent = await enqueueChainTx(tx, {
      chainId: settings.chainId,
      call: { kind: "deposit", chainAccountId: account.chainAccountId, amount },
      signer,
      fromAddress: address,
      idempotencyKey: `deposit:${principal.accountId}:${input.requestKey}`,
      escrowAccountId: account.id,
    });
    return { chainTxId: intent.id, amount, escrowAccountId: account.id, from: address };
  });
}

/**
 * The deployment, if the caller is its tenant (or, with `allowAdmin`, an admin); otherwise
 * 404, so a stranger cannot tell whether it exists.
 */
export async function deploymentOfCaller(
  principal: Principal,
  deploymentId: string,
  options: { allowAdmin?: boolean } = {},
) {
  const deployment = await db().deployment.findUnique({
    where: { id: deploymentId },
    select: { id: true, tenantId: true, state: true },
  });
  const allowed =
    deployment && (deployment.tenantId === principal.accountId || (options.allowAdmin && isAdmin(principal)));
  if (!allowed) throw new AppError("NOT_FOUND", "no deployment with this id");
  return deployment;
}

function exceedsWallet(available: bigint, settings: EscrowSettings): AppError {
  const shown = formatTokenAmount(available > 0n ? available : 0n, settings.tokenDecimals);
  return new AppError("INSUFFICIENT_FUNDS", "the amount is more than your wallet holds", {
    fields: [{ path: "amount", message: `exceeds your wallet's available ${shown} ${settings.tokenSymbol}` }],
  });
}
