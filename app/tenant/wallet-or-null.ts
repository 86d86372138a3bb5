import "server-only";
import type { ChainRuntime } from "@/lib/chain/outbox-worker";
import { walletView, type WalletView } from "@/lib/escrow/wallet";
import { AppError } from "@/lib/errors";

/** The tenant's wallet, or null while the chain's RPC does not answer (pages then say so calmly). */
export async function walletOrNull(runtime: ChainRuntime, accountId: string): Promise<WalletView | null> {
  try {
    return await walletView(runtime.chain, runtime.settings, accountId);
  } catch (error) {
    if (error instanceof AppError && error.code === "CHAIN_REJECTED") return null;
    throw error;
  }
}
