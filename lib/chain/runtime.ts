import { escrowSettings } from "@/lib/escrow/settings";
import { createEvmChain } from "./evm/evm-chain";
import type { ChainRuntime } from "./outbox-worker";

/**
 * The composition root of the chain side: the configured chain adapter and its settings,
 * or null when no chain is configured. The escrow domain is handed these; it never builds them.
 */
const globalForChain = globalThis as unknown as { bidcloudChain?: { key: string; runtime: ChainRuntime } };

export function chainRuntime(): ChainRuntime | null {
  const settings = escrowSettings();
  if (!settings) return null;
  const key = `${settings.rpcUrl}|${settings.chainId}|${settings.escrowAddress}|${settings.tokenAddress}`;
  if (globalForChain.bidcloudChain?.key !== key) {
    const chain = createEvmChain({
      rpcUrl: settings.rpcUrl,
      chainId: settings.chainId,
      escrowAddress: settings.escrowAddress,
      tokenAddress: settings.tokenAddress,
    });
    globalForChain.bidcloudChain = { key, runtime: { chain, settings } };
  }
  return globalForChain.bidcloudChain.runtime;
}
