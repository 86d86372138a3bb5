/**
 * What the escrow domain needs from a chain. The EVM adapter (lib/chain/evm) implements it;
 * nothing in lib/escrow imports viem. Addresses and hashes are 0x hex strings, amounts bigint
 * base units of the escrow's token.
 */
export type Hex = `0x${string}`;

/** Close reasons in the order the contract numbers them (same names as LeaseCloseReason). */
export const CHAIN_CLOSE_REASONS = [
  "owner",
  "provider",
  "unstable",
  "manifest_timeout",
  "insufficient_funds",
  "admin",
] as const;
export type ChainCloseReason = (typeof CHAIN_CLOSE_REASONS)[number];

/** One write to the chain, as the outbox stores it (bigint fields as decimal strings there). */
export type EscrowCall =
  | { kind: "open_account"; chainAccountId: Hex; owner: Hex }
  | { kind: "approve"; amount: bigint }
  | { kind: "deposit"; chainAccountId: Hex; amount: bigint }
  | { kind: "open_lease"; chainLeaseId: Hex; chainAccountId: Hex; provider: Hex; ratePerSecond: bigint }
  | { kind: "settle"; chainLeaseId: Hex; verifiedSeconds: number; signature: Hex }
  | {
      kind: "close_lease";
      chainLeaseId: Hex;
      reason: ChainCloseReason;
      verifiedSeconds: number;
      signature: Hex;
    }
  | { kind: "close_account"; chainAccountId: Hex }
  | { kind: "withdraw"; to: Hex }
  | { kind: "mint"; to: Hex; amount: bigint };

export type FeeQuote = { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint };

export type SignedTx = { rawTx: Hex; txHash: Hex };

export type TxReceipt = { status: "success" | "reverted"; blockNumber: bigint };

/** Contract events, decoded. `key` is txHash:logIndex, unique per event. */
export type EscrowEvent = { key: string; txHash: Hex; blockNumber: bigint } & (
  | { name: "AccountOpened"; chainAccountId: Hex; owner: Hex }
  | { name: "Deposited"; chainAccountId: Hex; depositor: Hex; amount: bigint; balance: bigint }
  | {
      name: "LeaseOpened";
      chainLeaseId: Hex;
      chainAccountId: Hex;
      provider: Hex;
      ratePerSecond: bigint;
      startTime: number;
    }
  | {
      name: "LeaseSettled";
      chainLeaseId: Hex;
      chainAccountId: Hex;
      provider: Hex;
      verifiedSeconds: number;
      amount: bigint;
      fee: bigint;
    }
  | { name: "AccountOverdrawn"; chainAccountId: Hex }
  | { name: "LeaseClosed"; chainLeaseId: Hex; chainAccountId: Hex; reason: ChainCloseReason; by: Hex }
  | { name: "Refunded"; chainAccountId: Hex; depositor: Hex; amount: bigint }
  | { name: "AccountClosed"; chainAccountId: Hex; refunded: bigint }
  | { name: "Withdrawn"; payee: Hex; to: Hex; amount: bigint }
);

export type ChainAccountView = { state: "none" | "open" | "overdrawn" | "closed"; balance: bigint };
export type ChainLeaseView = {
  state: "none" | "open" | "closed";
  settledSeconds: number;
  paid: bigint;
};

export interface EscrowChain {
  readonly chainId: number;
  readonly escrowAddress: Hex;
  readonly tokenAddress: Hex;
  addressOf(privateKey: Hex): Hex;
  feeQuote(): Promise<FeeQuote>;
  /** Signs locally; nothing is sent. Gas limits are fixed per call kind, so signing needs no chain state. */
  signTransaction(
    call: EscrowCall,
    options: { privateKey: Hex; nonce: number; fees: FeeQuote },
  ): Promise<SignedTx>;
  /** Sends a signed transaction. Resending one the node already has is not an error. */
  sendRawTransaction(rawTx: Hex): Promise<void>;
  receipt(txHash: Hex): Promise<TxReceipt | null>;
  /** The transaction count of an address including pending ones. */
  pendingNonce(address: Hex): Promise<number>;
  blockNumber(): Promise<bigint>;
  latestBlockTime(): Promise<number>;
  escrowEvents(fromBlock: bigint, toBlock: bigint): Promise<EscrowEvent[]>;
  signUsageReceipt(verifierKey: Hex, chainLeaseId: Hex, verifiedSeconds: number): Promise<Hex>;
  readAccount(chainAccountId: Hex): Promise<ChainAccountView>;
  readLease(chainLeaseId: Hex): Promise<ChainLeaseView>;
  owed(address: Hex): Promise<bigint>;
  treasury(): Promise<Hex>;
  tokenBalance(address: Hex): Promise<bigint>;
  gasBalance(address: Hex): Promise<bigint>;
  /** Local chains only: sets an address's native balance (gas for managed wallets). */
  setGasBalance(address: Hex, wei: bigint): Promise<void>;
}
