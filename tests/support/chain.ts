import { randomInt } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Hex } from "viem";
import { deriveKey } from "@/lib/chain/keys";
import { resetEnvForTests } from "@/lib/env";
import { startAnvil, type AnvilNode } from "@/lib/chain/evm/anvil";
import { deployLocalEscrow } from "@/lib/chain/evm/deploy";

/** Fixed (the ASCII of "bidcloud-test-chain-secret-00001") so managed addresses are the same in every run. */
export const TEST_MASTER_SECRET: Hex = "0x626964636c6f75642d746573742d636861696e2d7365637265742d3030303031";

export const TEST_FEE_BPS = 250;

export type TestChain = {
  rpcUrl: string;
  chainId: number;
  escrowAddress: Hex;
  tokenAddress: Hex;
  masterSecret: Hex;
  keys: { operator: Hex; verifier: Hex; treasury: Hex };
  /** The app's environment for this chain. */
  env: Record<string, string>;
  /** The running anvil's process id; undefined while the RPC is stopped. */
  pid(): number | undefined;
  /** Stops anvil, keeping its state, to test what happens while the RPC is down. */
  stopRpc(): Promise<void>;
  /** Starts anvil again on the same port and state. */
  startRpc(): Promise<void>;
  /** Stops anvil and removes its temporary state (a given statePath is kept). */
  stop(): Promise<void>;
};

/**
 * A real anvil node with the escrow deployed, for integration tests. Each one has its own
 * port, chain id and state file, so test files running in parallel never share a chain.
 */
export async function startTestChain(
  options: { chainId?: number; statePath?: string } = {},
): Promise<TestChain> {
  const chainId = options.chainId ?? randomInt(100_000, 900_000);
  const tempDir = mkdtempSync(path.join(os.tmpdir(), "bidcloud-chain-"));
  const statePath = options.statePath ?? path.join(tempDir, "anvil-state.json");

  let node: AnvilNode | undefined = await startAnvil({ chainId, statePath });
  const { port, rpcUrl } = node;
  try {
    const { escrowAddress, tokenAddress } = await deployLocalEscrow({
      rpcUrl,
      chainId,
      masterSecret: TEST_MASTER_SECRET,
      feeBps: TEST_FEE_BPS,
    });

    const stopRpc = async () => {
      const stopping = node;
      node = undefined;
      await stopping?.stop();
    };

    return {
      rpcUrl,
      chainId,
      escrowAddress,
      tokenAddress,
      masterSecret: TEST_MASTER_SECRET,
      keys: {
        operator: deriveKey(TEST_MASTER_SECRET, "operator"),
        verifier: deriveKey(TEST_MASTER_SECRET, "verifier"),
        treasury: deriveKey(TEST_MASTER_SECRET, "treasury"),
      },
      env: {
        EVM_RPC_URL: rpcUrl,
        EVM_CHAIN_ID: String(chainId),
        ESCROW_ADDRESS: escrowAddress,
        TOKEN_ADDRESS: tokenAddress,
        CHAIN_MASTER_SECRET: TEST_MASTER_SECRET,
        EVM_FAUCET: "true",
        EVM_CONFIRMATIONS: "1",
      },
      pid: () => node?.pid,
      stopRpc,
      startRpc: async () => {
        node ??= await startAnvil({ port, chainId, statePath });
      },
      stop: async () => {
        await stopRpc();
        rmSync(tempDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await node.stop();
    rmSync(tempDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * A test chain whose settings are this process's environment (EVM_RPC_URL, ESCROW_ADDRESS, ...),
 * so the app's code finds it; `restore` stops it and puts the environment back.
 */
export async function useTestChain(): Promise<{ chain: TestChain; restore: () => Promise<void> }> {
  const saved = { ...process.env };
  const chain = await startTestChain();
  Object.assign(process.env, chain.env);
  resetEnvForTests();
  return {
    chain,
    async restore() {
      await chain.stop();
      process.env = saved;
      resetEnvForTests();
    },
  };
}

/** Moves the chain's clock forward and mines a block at the new time. */
export async function increaseChainTime(rpcUrl: string, seconds: number): Promise<void> {
  for (const [method, params] of [
    ["evm_increaseTime", [seconds]],
    ["evm_mine", []],
  ] as const) {
    const response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
    if (!response.ok) throw new Error(`${method} failed: ${response.status}`);
  }
}
