import { requireRole, type Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db";
import { AppError, validationError } from "@/lib/errors";
import { parseTokenAmount } from "./amounts";
import { deploymentOfCaller } from "./deposits";
import { escrowOfDeployment, providerEarnings, type EscrowView } from "./escrow-queries";
import { walletAddressOf, type EscrowSettings } from "./settings";

/** Use cases behind the escrow pages and routes that are not money movements themselves. */

export async function escrowForCaller(
  settings: EscrowSettings,
  principal: Principal,
  deploymentId: string,
): Promise<EscrowView | null> {
  await deploymentOfCaller(principal, deploymentId, { allowAdmin: true });
  return escrowOfDeployment(settings, deploymentId);
}

export async function earningsForCaller(settings: EscrowSettings, principal: Principal) {
  requireRole(principal, "provider");
  const address = walletAddressOf(settings, principal.accountId);
  const provider = await db().provider.findUnique({
    where: { accountId: principal.accountId },
    select: { id: true },
  });
  return providerEarnings(settings, address, provider?.id ?? null);
}

/** Switches auto top-up on (amount, below a runway in seconds) or off (null). */
export async function setAutoTopUp(
  settings: EscrowSettings,
  principal: Principal,
  deploymentId: string,
  input: { amount: unknown; belowSeconds: unknown } | null,
): Promise<void> {
  await deploymentOfCaller(principal, deploymentId);
  const account = await db().escrowAccount.findUnique({ where: { deploymentId } });
  if (!account)
    throw new AppError("INVALID_STATE", "this deployment has no escrow yet: make a first deposit");
  if (input === null) {
    await db().escrowAccount.update({
      where: { id: account.id },
      data: { autoTopUpAmount: null, autoTopUpBelowSeconds: null },
    });
    return;
  }
  const amount = parseTokenAmount(input.amount, settings.tokenDecimals, "amount");
  const below = input.belowSeconds;
  if (typeof below !== "number" || !Number.isInteger(below) || below < 60 || below > 30 * 86_400) {
    throw validationError("belowSeconds", "must be a whole number of seconds from 60 to 2592000 (30 days)");
  }
  await db().escrowAccount.update({
    where: { id: account.id },
    data: { autoTopUpAmount: amount, autoTopUpBelowSeconds: below },
  });
}

/** Admin: a failed intent is signed again with a fresh nonce (its earlier attempt reverted or never left). */
export async function retryChainTx(principal: Principal, id: string): Promise<void> {
  requireRole(principal, "admin");
  const result = await db().chainTx.updateMany({
    where: { id, status: "failed" },
    data: { status: "pending", nonce: null, txHash: null, lastError: null, attempts: 0 },
  });
  if (result.count === 0) {
    const exists = await db().chainTx.count({ where: { id } });
    if (!exists) throw new AppError("NOT_FOUND", "no chain transaction with this id");
    throw new AppError("INVALID_STATE", "only a failed transaction can be retried");
  }
}
