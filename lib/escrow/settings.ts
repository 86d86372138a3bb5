import { deriveAddress, deriveKey, walletLabel } from "@/lib/chain/keys";
import { env } from "@/lib/env";
import type { Hex } from "./chain-port";

/**
 * The escrow's chain settings from the environment, or null when no chain is configured
 * (then nothing is written for a chain and money features say so). Pure configuration:
 * no connection is made here.
 */
export type EscrowSettings = {
  chainId: number;
  rpcUrl: string;
  escrowAddress: Hex;
  tokenAddress: Hex;
  tokenDecimals: number;
  tokenSymbol: string;
  confirmations: number;
  stuckTxSeconds: number;
  faucet: boolean;
  settleIntervalSeconds: number;
  runwayWarningSeconds: number;
  masterSecret: string;
};

export function escrowSettings(): EscrowSettings | null {
  const e = env();
  if (!e.EVM_RPC_URL || !e.EVM_CHAIN_ID || !e.ESCROW_ADDRESS || !e.TOKEN_ADDRESS || !e.CHAIN_MASTER_SECRET) {
    return null;
  }
  return {
    chainId: e.EVM_CHAIN_ID,
    rpcUrl: e.EVM_RPC_URL,
    escrowAddress: e.ESCROW_ADDRESS.toLowerCase() as Hex,
    tokenAddress: e.TOKEN_ADDRESS.toLowerCase() as Hex,
    tokenDecimals: e.TOKEN_DECIMALS,
    tokenSymbol: e.TOKEN_SYMBOL,
    confirmations: e.EVM_CONFIRMATIONS,
    stuckTxSeconds: e.EVM_STUCK_TX_SECONDS,
    faucet: e.EVM_FAUCET,
    settleIntervalSeconds: e.SETTLE_INTERVAL_SECONDS,
    runwayWarningSeconds: e.RUNWAY_WARNING_SECONDS,
    masterSecret: e.CHAIN_MASTER_SECRET,
  };
}

/** Signer labels as the outbox stores them. */
export type SignerLabel = "operator" | `wallet:${string}`;

export function signerKey(settings: EscrowSettings, signer: SignerLabel): Hex {
  return deriveKey(settings.masterSecret, signer);
}

export function signerAddress(settings: EscrowSettings, signer: SignerLabel): Hex {
  return deriveAddress(settings.masterSecret, signer);
}

export function walletAddressOf(settings: EscrowSettings, accountId: string): Hex {
  return deriveAddress(settings.masterSecret, walletLabel(accountId));
}

export function verifierKey(settings: EscrowSettings): Hex {
  return deriveKey(settings.masterSecret, "verifier");
}
