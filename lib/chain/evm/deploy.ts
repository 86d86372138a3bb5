import { createPublicClient, createWalletClient, defineChain, getAddress, http, type Hex } from "viem";
import { privateKeyToAccount, privateKeyToAddress } from "viem/accounts";
import { deriveKey } from "@/lib/chain/keys";
import { setAnvilBalance } from "./anvil";
import { escrowAbi, escrowBytecode, testUsdcAbi, testUsdcBytecode } from "./contracts.generated";

/**
 * anvil's development account #0, from the public test mnemonic every Foundry and Hardhat
 * install prints. It is not a secret: use it only on a local chain, never for real funds.
 */
export const ANVIL_DEPLOYER_KEY: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

/** What npm start and the test chain give the operator for gas on a local chain. */
export const LOCAL_OPERATOR_GAS_WEI = 100n * 10n ** 18n;

const RECEIPT_TIMEOUT_MS = 60_000;
const RECEIPT_POLL_MS = 250;
const MAX_FEE_BPS = 10_000;

export type DeployEscrowOptions = {
  rpcUrl: string;
  chainId: number;
  deployerKey: Hex;
  owner: Hex;
  operator: Hex;
  verifier: Hex;
  treasury: Hex;
  feeBps: number;
  tokenAddress?: Hex;
};

export type EscrowDeployment = { escrowAddress: Hex; tokenAddress: Hex };

function clientsFor(rpcUrl: string, chainId: number, deployerKey: Hex) {
  const chain = defineChain({
    id: chainId,
    name: `chain ${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const transport = http(rpcUrl);
  return {
    publicClient: createPublicClient({ chain, transport, pollingInterval: RECEIPT_POLL_MS }),
    walletClient: createWalletClient({ account: privateKeyToAccount(deployerKey), chain, transport }),
  };
}

/**
 * Deploys the escrow (and, without a token address, a TestUSDC for it), waiting for each
 * receipt. Deployments go one after the other from one key, so nonces never race.
 */
export async function deployEscrow(options: DeployEscrowOptions): Promise<EscrowDeployment> {
  if (!Number.isInteger(options.feeBps) || options.feeBps < 0 || options.feeBps > MAX_FEE_BPS) {
    throw new Error(`feeBps must be an integer from 0 to ${MAX_FEE_BPS}, got ${options.feeBps}`);
  }
  const { publicClient, walletClient } = clientsFor(options.rpcUrl, options.chainId, options.deployerKey);
  const reportedChainId = await publicClient.getChainId();
  if (reportedChainId !== options.chainId) {
    throw new Error(`the RPC at ${options.rpcUrl} is chain ${reportedChainId}, expected ${options.chainId}`);
  }

  async function deployed(label: string, hash: Hex): Promise<Hex> {
    const receipt = await publicClient.waitForTransactionReceipt({ hash, timeout: RECEIPT_TIMEOUT_MS });
    if (receipt.status !== "success" || !receipt.contractAddress) {
      throw new Error(`deploying ${label} failed (transaction ${hash} ${receipt.status})`);
    }
    return getAddress(receipt.contractAddress);
  }

  if (options.tokenAddress && !(await hasCode(options.rpcUrl, options.tokenAddress))) {
    throw new Error(`no contract at token address ${options.tokenAddress}`);
  }
  const tokenAddress =
    options.tokenAddress ??
    (await deployed(
      "TestUSDC",
      await walletClient.deployContract({ abi: testUsdcAbi, bytecode: testUsdcBytecode }),
    ));
  const escrowAddress = await deployed(
    "BidcloudEscrow",
    await walletClient.deployContract({
      abi: escrowAbi,
      bytecode: escrowBytecode,
      args: [
        tokenAddress,
        options.owner,
        options.operator,
        options.verifier,
        options.treasury,
        options.feeBps,
      ],
    }),
  );
  return { escrowAddress, tokenAddress };
}

export async function hasCode(rpcUrl: string, address: Hex): Promise<boolean> {
  const code = await createPublicClient({ transport: http(rpcUrl) }).getCode({ address });
  return code !== undefined && code !== "0x";
}

export async function escrowOperator(rpcUrl: string, escrowAddress: Hex): Promise<Hex> {
  return createPublicClient({ transport: http(rpcUrl) }).readContract({
    address: escrowAddress,
    abi: escrowAbi,
    functionName: "operator",
  });
}

/** The managed roles' addresses; their keys derive from the master secret (lib/chain/keys). */
export function escrowRoleAddresses(masterSecret: string): { operator: Hex; verifier: Hex; treasury: Hex } {
  return {
    operator: privateKeyToAddress(deriveKey(masterSecret, "operator")),
    verifier: privateKeyToAddress(deriveKey(masterSecret, "verifier")),
    treasury: privateKeyToAddress(deriveKey(masterSecret, "treasury")),
  };
}

/**
 * A local (anvil) chain made ready for the app: the operator gets gas, and the escrow is
 * deployed from the development key with the operator as its owner.
 */
export async function deployLocalEscrow(options: {
  rpcUrl: string;
  chainId: number;
  masterSecret: string;
  feeBps: number;
}): Promise<EscrowDeployment> {
  const roles = escrowRoleAddresses(options.masterSecret);
  await setAnvilBalance(options.rpcUrl, roles.operator, LOCAL_OPERATOR_GAS_WEI);
  return deployEscrow({
    rpcUrl: options.rpcUrl,
    chainId: options.chainId,
    deployerKey: ANVIL_DEPLOYER_KEY,
    owner: roles.operator,
    ...roles,
    feeBps: options.feeBps,
  });
}

/**
 * Local chains only: gives each address test tokens (the test token's open mint, sent by the
 * public anvil deployer key) and gas. For demo wallets at first start.
 */
export async function fundLocalWallets(options: {
  rpcUrl: string;
  chainId: number;
  tokenAddress: Hex;
  addresses: Hex[];
  tokens: bigint;
  gasWei: bigint;
}): Promise<void> {
  const { publicClient, walletClient } = clientsFor(options.rpcUrl, options.chainId, ANVIL_DEPLOYER_KEY);
  for (const address of options.addresses) {
    await setAnvilBalance(options.rpcUrl, address, options.gasWei);
    const hash = await walletClient.writeContract({
      address: options.tokenAddress,
      abi: testUsdcAbi,
      functionName: "mint",
      args: [address, options.tokens],
    });
    await publicClient.waitForTransactionReceipt({ hash });
  }
}
