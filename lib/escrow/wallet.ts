import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { EscrowChain, Hex } from "./chain-port";
import { readChain } from "./chain-reads";
import { ensureWallet } from "./escrow-accounts";
import { enqueueChainTx, inFlightDeposits } from "./outbox";
import { signerAddress, walletAddressOf, type EscrowSettings } from "./settings";

/** A managed wallet as its owner sees it: address, token and gas balances, deposits on their way. */
export type WalletView = {
  address: Hex;
  balance: bigint;
  gasBalance: bigint;
  pendingDeposits: bigint;
  available: bigint;
  faucet: boolean;
};

export async function walletView(
  chain: EscrowChain,
  settings: EscrowSettings,
  accountId: string,
): Promise<WalletView> {
  // Derived, not recorded: a page view writes nothing.
  const address = walletAddressOf(settings, accountId);
  const [balance, gasBalance] = await readChain(() =>
    Promise.all([chain.tokenBalance(address), chain.gasBalance(address)]),
  );
  const pendingDeposits = await inFlightDeposits(db(), { chainId: settings.chainId, fromAddress: address });
  const available = balance - pendingDeposits;
  return {
    address,
    balance,
    gasBalance,
    pendingDeposits,
    available: available > 0n ? available : 0n,
    faucet: settings.faucet,
  };
}

export const FAUCET_TOKENS = 1_000n;
const FAUCET_GAS_WEI = 10n ** 18n;

/**
 * Local chains only: 1,000 test tokens (minted through the outbox by the operator) and gas
 * (set directly on the node) for the account's wallet.
 */
export async function useFaucet(
  chain: EscrowChain,
  settings: EscrowSettings,
  accountId: string,
  requestKey: string,
) {
  if (!settings.faucet) throw new AppError("FORBIDDEN", "the faucet exists only on a local test chain");
  const address = await ensureWallet(db(), settings, accountId);
  await readChain(() => chain.setGasBalance(address, FAUCET_GAS_WEI));
  const amount = FAUCET_TOKENS * 10n ** BigInt(settings.tokenDecimals);
  const intent = await enqueueChainTx(db(), {
    chainId: settings.chainId,
    call: { kind: "mint", to: address, amount },
    signer: "operator",
    fromAddress: signerAddress(settings, "operator"),
    idempotencyKey: `faucet:${accountId}:${requestKey}`,
  });
  return { address, amount, chainTxId: intent.id };
}
