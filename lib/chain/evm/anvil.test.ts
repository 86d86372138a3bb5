import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createPublicClient, createWalletClient, http, type Hex } from "viem";
import { privateKeyToAccount, privateKeyToAddress } from "viem/accounts";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestChain, TEST_FEE_BPS, type TestChain } from "@/tests/support/chain";
import { setAnvilBalance, startAnvil } from "./anvil";
import { escrowAbi, testUsdcAbi } from "./contracts.generated";
import { ANVIL_DEPLOYER_KEY, hasCode } from "./deploy";

/** A process that exited but was not reaped yet (a zombie) counts as gone. */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

describe("a test chain on anvil", () => {
  let chain: TestChain;
  const holder: Hex = "0x00000000000000000000000000000000000b1dc1";
  const minted = 1_234_567_890n;
  let mintHash: Hex;

  const client = () => createPublicClient({ transport: http(chain.rpcUrl, { retryCount: 0 }) });
  const tokenBalance = (address: Hex) =>
    client().readContract({
      address: chain.tokenAddress,
      abi: testUsdcAbi,
      functionName: "balanceOf",
      args: [address],
    });

  beforeAll(async () => {
    chain = await startTestChain();
  });

  afterAll(async () => {
    await chain?.stop();
  });

  it("runs on its own chain id in the test range", async () => {
    expect(chain.chainId).toBeGreaterThanOrEqual(100_000);
    expect(chain.chainId).toBeLessThan(900_000);
    expect(await client().getChainId()).toBe(chain.chainId);
    expect(chain.env).toMatchObject({
      EVM_RPC_URL: chain.rpcUrl,
      EVM_CHAIN_ID: String(chain.chainId),
      ESCROW_ADDRESS: chain.escrowAddress,
      TOKEN_ADDRESS: chain.tokenAddress,
      EVM_FAUCET: "true",
    });
  });

  it("deploys the escrow over the test token with the managed operator and the fee", async () => {
    expect(await hasCode(chain.rpcUrl, chain.tokenAddress)).toBe(true);
    expect(await hasCode(chain.rpcUrl, chain.escrowAddress)).toBe(true);
    const escrow = { address: chain.escrowAddress, abi: escrowAbi } as const;
    const operator = privateKeyToAddress(chain.keys.operator);
    expect(await client().readContract({ ...escrow, functionName: "token" })).toBe(chain.tokenAddress);
    expect(await client().readContract({ ...escrow, functionName: "operator" })).toBe(operator);
    expect(await client().readContract({ ...escrow, functionName: "verifier" })).toBe(
      privateKeyToAddress(chain.keys.verifier),
    );
    expect(await client().readContract({ ...escrow, functionName: "treasury" })).toBe(
      privateKeyToAddress(chain.keys.treasury),
    );
    expect(await client().readContract({ ...escrow, functionName: "feeBps" })).toBe(TEST_FEE_BPS);
    expect(await client().getBalance({ address: operator })).toBe(100n * 10n ** 18n);
  });

  it("mints test USDC to an address", async () => {
    const wallet = createWalletClient({
      account: privateKeyToAccount(ANVIL_DEPLOYER_KEY),
      transport: http(chain.rpcUrl, { retryCount: 0 }),
    });
    mintHash = await wallet.writeContract({
      chain: null,
      address: chain.tokenAddress,
      abi: testUsdcAbi,
      functionName: "mint",
      args: [holder, minted],
    });
    const receipt = await client().waitForTransactionReceipt({ hash: mintHash, pollingInterval: 100 });
    expect(receipt.status).toBe("success");
    expect(await tokenBalance(holder)).toBe(minted);
  });

  it("keeps balances, code and receipts when the RPC is stopped and started again", async () => {
    const blockBefore = await client().getBlockNumber();
    const pidBefore = chain.pid();
    expect(pidBefore).toBeDefined();
    await chain.stopRpc();
    expect(isRunning(pidBefore!)).toBe(false);
    expect(chain.pid()).toBeUndefined();
    await expect(client().getBlockNumber()).rejects.toThrow();

    await chain.startRpc();
    expect(chain.pid()).not.toBe(pidBefore);
    expect(await client().getChainId()).toBe(chain.chainId);
    expect(await client().getBlockNumber()).toBe(blockBefore);
    expect(await tokenBalance(holder)).toBe(minted);
    expect((await client().getTransactionReceipt({ hash: mintHash })).status).toBe("success");
    expect(await hasCode(chain.rpcUrl, chain.escrowAddress)).toBe(true);
    expect(
      await client().readContract({ address: chain.escrowAddress, abi: escrowAbi, functionName: "feeBps" }),
    ).toBe(TEST_FEE_BPS);
  });

  it("leaves no anvil process after stop", async () => {
    const pid = chain.pid();
    expect(pid).toBeDefined();
    expect(isRunning(pid!)).toBe(true);
    await chain.stop();
    expect(isRunning(pid!)).toBe(false);
    await expect(client().getBlockNumber()).rejects.toThrow();
  });
});

describe("startAnvil", () => {
  const address: Hex = "0x00000000000000000000000000000000000a11ce";
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "bidcloud-anvil-"));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const balanceAt = (rpcUrl: string) =>
    createPublicClient({ transport: http(rpcUrl) }).getBalance({ address });

  it("reports anvil's own output when it cannot start", async () => {
    const blocker = await startAnvil({});
    try {
      await expect(startAnvil({ port: blocker.port })).rejects.toThrow(/exited .*address already in use/is);
    } finally {
      await blocker.stop();
    }
  });

  it("writes its state on stop, into a folder it creates, and loads it on the next start", async () => {
    const statePath = path.join(dir, "nested", "state.json");
    const first = await startAnvil({ statePath });
    await setAnvilBalance(first.rpcUrl, address, 42n);
    await first.stop();
    expect(existsSync(statePath)).toBe(true);

    const second = await startAnvil({ statePath });
    try {
      expect(await balanceAt(second.rpcUrl)).toBe(42n);
      expect(existsSync(`${statePath}.bak`)).toBe(true);
    } finally {
      await second.stop();
    }
  });

  it("loses at most the state interval when anvil is killed outright", async () => {
    const statePath = path.join(dir, "state.json");
    const first = await startAnvil({ statePath, stateIntervalSeconds: 1 });
    await setAnvilBalance(first.rpcUrl, address, 7n);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    process.kill(first.pid, "SIGKILL");
    await first.stop();

    const second = await startAnvil({ statePath });
    try {
      expect(await balanceAt(second.rpcUrl)).toBe(7n);
    } finally {
      await second.stop();
    }
  });

  it("names the last good copy when the state file is damaged, and keeps that copy", async () => {
    const statePath = path.join(dir, "state.json");
    await (await startAnvil({ statePath })).stop();
    // The second start loads a state file, so it keeps a copy of it.
    const second = await startAnvil({ statePath });
    await setAnvilBalance(second.rpcUrl, address, 9n);
    await second.stop();
    writeFileSync(statePath, '{"block":');

    await expect(startAnvil({ statePath })).rejects.toThrow(
      /failed to parse.*state\.json\.bak holds the state of the last good start/is,
    );
    expect(() => JSON.parse(readFileSync(`${statePath}.bak`, "utf8")) as unknown).not.toThrow();
  });

  it("does not outlive a parent process that is killed", async () => {
    const script = `const { startAnvil } = await import(${JSON.stringify(pathToFileURL(path.join(import.meta.dirname, "anvil.ts")).href)});
const node = await startAnvil({});
process.stdout.write(node.pid + "\\n");
setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const pid = await new Promise<number>((resolve, reject) => {
      parent.stdout.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
      parent.once("exit", () => reject(new Error("the parent exited before starting anvil")));
    });
    expect(isRunning(pid)).toBe(true);
    parent.kill("SIGKILL");
    await expect.poll(() => isRunning(pid), { timeout: 5_000 }).toBe(false);
  });
});
