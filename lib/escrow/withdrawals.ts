import { walletLabel } from "@/lib/chain/keys";
import { requireRole, type Principal } from "@/lib/auth/principal";
import { db, transaction } from "@/lib/db";
import { AppError, validationError } from "@/lib/errors";
import type { EscrowChain, Hex } from "./chain-port";
import { readChain } from "./chain-reads";
import { ensureWallet } from "./escrow-accounts";
import { ledgerAccount, ledgerBalance } from "./ledger";
import { enqueueChainTx, IN_FLIGHT_STATUSES } from "./outbox";
import type { EscrowSettings } from "./settings";

const GAS_FOR_WITHDRAWAL_WEI = 10n ** 16n;

/**
 * A provider pulls what the contract owes its managed wallet (the contract pays out the
 * whole amount owed), to that wallet or to an address of its own. One withdrawal at a time.
 */
export async function requestWithdrawal(
  chain: EscrowChain,
  settings: EscrowSettings,
  principal: Principal,
  input: { to?: unknown; requestKey: string },
) {
  requireRole(principal, "provider");
  if (input.to !== undefined && (typeof input.to !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(input.to))) {
    throw validationError("to", "must be a 0x-prefixed 20-byte hex address");
  }
  const address = await transaction((tx) => ensureWallet(tx, settings, principal.accountId));
  const to = (typeof input.to === "string" ? input.to : address).toLowerCase() as Hex;
  if (to === `0x${"0".repeat(40)}` || to === settings.escrowAddress || to === settings.tokenAddress) {
    throw validationError(
      "to",
      "must be an address that can hold the payout (not zero, the escrow or the token)",
    );
  }
  const withdrawable = await ledgerBalance(db(), ledgerAccount.payee(settings.chainId, address));
  if (withdrawable <= 0n) throw new AppError("INVALID_STATE", "nothing to withdraw yet: no settled earnings");
  if (settings.faucet) {
    // Local chain: the marketplace tops up the wallet's gas so a demo provider can withdraw.
    const gas = await readChain(() => chain.gasBalance(address));
    if (gas < GAS_FOR_WITHDRAWAL_WEI)
      await readChain(() => chain.setGasBalance(address, GAS_FOR_WITHDRAWAL_WEI * 10n));
  }
  const intent = await transaction(async (tx) => {
    const idempotencyKey = `withdraw:${principal.accountId}:${input.requestKey}`;
    // The wallet row serializes withdrawal requests of one provider.
    await tx.$queryRaw`SELECT 1 FROM wallet WHERE "accountId" = ${principal.accountId} FOR UPDATE`;
    const inFlight = await tx.chainTx.count({
      where: {
        chainId: settings.chainId,
        fromAddress: address,
        kind: "withdraw",
        status: { in: [...IN_FLIGHT_STATUSES] },
        idempotencyKey: { not: idempotencyKey },
      },
    });
    if (inFlight > 0) throw new AppError("CONFLICT", "a withdrawal is already on its way");
    return enqueueChainTx(tx, {
      chainId: settings.chainId,
      call: { kind: "withdraw", to },
      signer: walletLabel(principal.accountId),
      fromAddress: address,
      idempotencyKey,
    });
  });
  return { chainTxId: intent.id, amount: withdrawable, to };
}
