import {
  createPublicClient,
  decodeEventLog,
  encodeFunctionData,
  http,
  keccak256,
  maxUint256,
  type Log,
} from "viem";
import { privateKeyToAccount, privateKeyToAddress } from "viem/accounts";
import {
  CHAIN_CLOSE_REASONS,
  type ChainAccountView,
  type ChainLeaseView,
  type EscrowCall,
  type EscrowChain,
  type EscrowEvent,
  type FeeQuote,
  type Hex,
  type SignedTx,
} from "@/lib/escrow/chain-port";
import { escrowAbi, testUsdcAbi } from "./contracts.generated";

/**
 * The escrow on an EVM chain, through viem. Transactions are signed locally with fixed gas
 * limits per call kind (so a transaction can be signed before the one it follows is mined)
 * and EIP-1559 fees; the outbox decides nonces.
 */
const GAS_LIMITS: Record<EscrowCall["kind"], bigint> = {
  open_account: 120_000n,
  approve: 80_000n,
  // Headroom for a token behind a proxy (USDC) and a first-time depositor; unused gas is not paid.
  deposit: 350_000n,
  open_lease: 220_000n,
  settle: 160_000n,
  close_lease: 200_000n,
  // Refunds walk at most 16 depositors.
  close_account: 1_500_000n,
  withdraw: 120_000n,
  mint: 120_000n,
};

const ACCOUNT_STATES = ["none", "open", "overdrawn", "closed"] as const;
const LEASE_STATES = ["none", "open", "closed"] as const;

export type EvmChainConfig = {
  rpcUrl: string;
  chainId: number;
  escrowAddress: Hex;
  tokenAddress: Hex;
};

export function createEvmChain(config: EvmChainConfig): EscrowChain {
  const client = createPublicClient({ transport: http(config.rpcUrl, { retryCount: 0, timeout: 10_000 }) });
  const escrow = { address: config.escrowAddress, abi: escrowAbi } as const;

  function encode(call: EscrowCall): { to: Hex; data: Hex } {
    switch (call.kind) {
      case "open_account":
        return {
          to: config.escrowAddress,
          data: encodeFunctionData({
            abi: escrowAbi,
            functionName: "openAccount",
            args: [call.chainAccountId, call.owner],
          }),
        };
      case "approve":
        return {
          to: config.tokenAddress,
          data: encodeFunctionData({
            abi: testUsdcAbi,
            functionName: "approve",
            args: [config.escrowAddress, call.amount === -1n ? maxUint256 : call.amount],
          }),
        };
      case "deposit":
        return {
          to: config.escrowAddress,
          data: encodeFunctionData({
            abi: escrowAbi,
            functionName: "deposit",
            args: [call.chainAccountId, call.amount],
          }),
        };
      case "open_lease":
        return {
          to: config.escrowAddress,
          data: encodeFunctionData({
            abi: escrowAbi,
            functionName: "openLease",
            args: [call.chainLeaseId, call.chainAccountId, call.provider, call.ratePerSecond],
          }),
        };
      case "settle":
        return {
          to: config.escrowAddress,
          data: encodeFunctionData({
            abi: escrowAbi,
            functionName: "settle",
            args: [call.chainLeaseId, BigInt(call.verifiedSeconds), call.signature],
          }),
        };
      case "close_lease":
        return {
          to: config.escrowAddress,
          data: encodeFunctionData({
            abi: escrowAbi,
            functionName: "closeLease",
            args: [
              call.chainLeaseId,
              CHAIN_CLOSE_REASONS.indexOf(call.reason),
              BigInt(call.verifiedSeconds),
              call.signature,
            ],
          }),
        };
      case "close_account":
        return {
          to: config.escrowAddress,
          data: encodeFunctionData({
            abi: escrowAbi,
            functionName: "closeAccount",
            args: [call.chainAccountId],
          }),
        };
      case "withdraw":
        return {
          to: config.escrowAddress,
          data: encodeFunctionData({ abi: escrowAbi, functionName: "withdraw", args: [call.to] }),
        };
      case "mint":
        return {
          to: config.tokenAddress,
          data: encodeFunctionData({ abi: testUsdcAbi, functionName: "mint", args: [call.to, call.amount] }),
        };
    }
  }

  return {
    chainId: config.chainId,
    escrowAddress: config.escrowAddress,
    tokenAddress: config.tokenAddress,

    addressOf: (privateKey) => privateKeyToAddress(privateKey),

    async feeQuote(): Promise<FeeQuote> {
      const fees = await client.estimateFeesPerGas();
      return { maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas };
    },

    async signTransaction(call, { privateKey, nonce, fees }): Promise<SignedTx> {
      const account = privateKeyToAccount(privateKey);
      const { to, data } = encode(call);
      const rawTx = await account.signTransaction({
        type: "eip1559",
        chainId: config.chainId,
        nonce,
        to,
        data,
        gas: GAS_LIMITS[call.kind],
        maxFeePerGas: fees.maxFeePerGas,
        maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
        value: 0n,
      });
      return { rawTx, txHash: keccak256(rawTx) };
    },

    async sendRawTransaction(rawTx) {
      try {
        await client.sendRawTransaction({ serializedTransaction: rawTx });
      } catch (error) {
        if (isAlreadyKnown(error)) return;
        throw error;
      }
    },

    async receipt(txHash) {
      try {
        const receipt = await client.getTransactionReceipt({ hash: txHash });
        return { status: receipt.status, blockNumber: receipt.blockNumber };
      } catch (error) {
        if (error instanceof Error && error.name === "TransactionReceiptNotFoundError") return null;
        throw error;
      }
    },

    pendingNonce: (address) => client.getTransactionCount({ address, blockTag: "pending" }),
    blockNumber: () => client.getBlockNumber({ cacheTime: 0 }),
    async latestBlockTime() {
      const block = await client.getBlock({ blockTag: "latest" });
      return Number(block.timestamp);
    },

    async escrowEvents(fromBlock, toBlock): Promise<EscrowEvent[]> {
      const logs = await client.getLogs({ address: config.escrowAddress, fromBlock, toBlock });
      return logs.flatMap((log) => decodeEscrowLog(log));
    },

    async signUsageReceipt(verifierKey, chainLeaseId, verifiedSeconds) {
      return privateKeyToAccount(verifierKey).signTypedData({
        domain: {
          name: "BidcloudEscrow",
          version: "1",
          chainId: config.chainId,
          verifyingContract: config.escrowAddress,
        },
        types: {
          UsageReceipt: [
            { name: "leaseId", type: "bytes32" },
            { name: "verifiedSeconds", type: "uint64" },
          ],
        },
        primaryType: "UsageReceipt",
        message: { leaseId: chainLeaseId, verifiedSeconds: BigInt(verifiedSeconds) },
      });
    },

    async readAccount(chainAccountId): Promise<ChainAccountView> {
      const [, state, balance] = await client.readContract({
        ...escrow,
        functionName: "getAccount",
        args: [chainAccountId],
      });
      return { state: ACCOUNT_STATES[Number(state)] ?? "none", balance };
    },

    async readLease(chainLeaseId): Promise<ChainLeaseView> {
      const [, , , , settledSeconds, paid, state] = await client.readContract({
        ...escrow,
        functionName: "getLease",
        args: [chainLeaseId],
      });
      return { state: LEASE_STATES[Number(state)] ?? "none", settledSeconds: Number(settledSeconds), paid };
    },

    owed: (address) => client.readContract({ ...escrow, functionName: "owed", args: [address] }),
    treasury: () => client.readContract({ ...escrow, functionName: "treasury" }),
    tokenBalance: (address) =>
      client.readContract({
        address: config.tokenAddress,
        abi: testUsdcAbi,
        functionName: "balanceOf",
        args: [address],
      }),
    gasBalance: (address) => client.getBalance({ address }),
    async setGasBalance(address, wei) {
      await client.request({
        method: "anvil_setBalance" as never,
        params: [address, `0x${wei.toString(16)}`] as never,
      });
    },
  };
}

function isAlreadyKnown(error: unknown): boolean {
  const details = error instanceof Error ? (error as { details?: unknown }).details : undefined;
  const text = error instanceof Error ? `${error.message} ${typeof details === "string" ? details : ""}` : "";
  return /already known|already imported|known transaction/i.test(text);
}

/** Decodes one log of the escrow; logs of other events (admin settings) are skipped. */
export function decodeEscrowLog(log: Log): EscrowEvent[] {
  let decoded;
  try {
    decoded = decodeEventLog({ abi: escrowAbi, data: log.data, topics: log.topics, strict: true });
  } catch {
    return [];
  }
  if (log.transactionHash === null || log.blockNumber === null || log.logIndex === null) return [];
  const base = {
    key: `${log.transactionHash}:${log.logIndex}`,
    txHash: log.transactionHash,
    blockNumber: log.blockNumber,
  };
  const args = decoded.args as unknown as Record<string, unknown>;
  const hex = (name: string) => (args[name] as string).toLowerCase() as Hex;
  const big = (name: string) => BigInt(args[name] as bigint);
  switch (decoded.eventName as string) {
    case "AccountOpened":
      return [{ ...base, name: "AccountOpened", chainAccountId: hex("accountId"), owner: hex("owner") }];
    case "Deposited":
      return [
        {
          ...base,
          name: "Deposited",
          chainAccountId: hex("accountId"),
          depositor: hex("depositor"),
          amount: big("amount"),
          balance: big("balance"),
        },
      ];
    case "LeaseOpened":
      return [
        {
          ...base,
          name: "LeaseOpened",
          chainLeaseId: hex("leaseId"),
          chainAccountId: hex("accountId"),
          provider: hex("provider"),
          ratePerSecond: big("ratePerSecond"),
          startTime: Number(args.startTime),
        },
      ];
    case "LeaseSettled":
      return [
        {
          ...base,
          name: "LeaseSettled",
          chainLeaseId: hex("leaseId"),
          chainAccountId: hex("accountId"),
          provider: hex("provider"),
          verifiedSeconds: Number(args.verifiedSeconds),
          amount: big("amount"),
          fee: big("fee"),
        },
      ];
    case "AccountOverdrawn":
      return [{ ...base, name: "AccountOverdrawn", chainAccountId: hex("accountId") }];
    case "LeaseClosed":
      return [
        {
          ...base,
          name: "LeaseClosed",
          chainLeaseId: hex("leaseId"),
          chainAccountId: hex("accountId"),
          reason: CHAIN_CLOSE_REASONS[Number(args.reason)] ?? "admin",
          by: hex("by"),
        },
      ];
    case "Refunded":
      return [
        {
          ...base,
          name: "Refunded",
          chainAccountId: hex("accountId"),
          depositor: hex("depositor"),
          amount: big("amount"),
        },
      ];
    case "AccountClosed":
      return [
        { ...base, name: "AccountClosed", chainAccountId: hex("accountId"), refunded: big("refunded") },
      ];
    case "Withdrawn":
      return [{ ...base, name: "Withdrawn", payee: hex("payee"), to: hex("to"), amount: big("amount") }];
    default:
      return [];
  }
}
