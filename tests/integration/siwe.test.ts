import { describe, expect, it } from "vitest";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createSiweMessage, generateSiweNonce } from "viem/siwe";
import { getOwnAccount } from "@/lib/accounts/get-account";
import { issueSiweNonce, signInWithEthereum } from "@/lib/accounts/sign-in-with-ethereum";
import { env } from "@/lib/env";

/** Sign-In with Ethereum against the real database: nonces we issued, our domain, the signer's own key. */

/** A message must name the host of APP_URL ("127.0.0.1:3999" in tests/support/setup-env.ts). */
const DOMAIN = new URL(env().APP_URL).host;

function newWallet() {
  return privateKeyToAccount(generatePrivateKey());
}

async function signedMessage(
  wallet: ReturnType<typeof newWallet>,
  overrides: {
    nonce?: string;
    domain?: string;
    expirationTime?: Date;
    signer?: ReturnType<typeof newWallet>;
  } = {},
) {
  const message = createSiweMessage({
    address: wallet.address,
    chainId: 1,
    domain: overrides.domain ?? DOMAIN,
    nonce: overrides.nonce ?? (await issueSiweNonce()),
    uri: `http://${DOMAIN}`,
    version: "1",
    statement: "Sign in to Bidcloud",
    expirationTime: overrides.expirationTime,
  });
  const signature = await (overrides.signer ?? wallet).signMessage({ message });
  return { message, signature };
}

describe("Sign-In with Ethereum", () => {
  it("creates a tenant account for the address on first sign-in", async () => {
    const wallet = newWallet();

    const principal = await signInWithEthereum({ ...(await signedMessage(wallet)), domain: DOMAIN });

    expect(principal).not.toBeNull();
    expect(principal!.roles).toEqual(["tenant"]);
    expect(principal!.ethAddress).toBe(wallet.address);
    const account = await getOwnAccount(principal!);
    expect(account).toMatchObject({
      ethAddress: wallet.address,
      email: null,
      status: "active",
      roles: ["tenant"],
    });
  });

  it("signs the same address into the same account next time", async () => {
    const wallet = newWallet();

    const first = await signInWithEthereum({ ...(await signedMessage(wallet)), domain: DOMAIN });
    const second = await signInWithEthereum({ ...(await signedMessage(wallet)), domain: DOMAIN });

    expect(second?.accountId).toBe(first?.accountId);
  });

  it("refuses a message whose nonce was already used", async () => {
    const wallet = newWallet();
    const signed = await signedMessage(wallet);

    const first = await signInWithEthereum({ ...signed, domain: DOMAIN });
    const replay = await signInWithEthereum({ ...signed, domain: DOMAIN });

    expect(first).not.toBeNull();
    expect(replay).toBeNull();
  });

  it("refuses a nonce the server never issued", async () => {
    const wallet = newWallet();

    const principal = await signInWithEthereum({
      ...(await signedMessage(wallet, { nonce: generateSiweNonce() })),
      domain: DOMAIN,
    });

    expect(principal).toBeNull();
  });

  it("refuses a message made for another domain, and leaves its nonce unused", async () => {
    const wallet = newWallet();
    const nonce = await issueSiweNonce();

    const elsewhere = await signInWithEthereum({
      ...(await signedMessage(wallet, { nonce, domain: "evil.example" })),
      domain: DOMAIN,
    });
    const here = await signInWithEthereum({ ...(await signedMessage(wallet, { nonce })), domain: DOMAIN });

    expect(elsewhere).toBeNull();
    expect(here).not.toBeNull();
  });

  it("refuses a message signed by a key other than the address's", async () => {
    const wallet = newWallet();
    const impostor = newWallet();

    const principal = await signInWithEthereum({
      ...(await signedMessage(wallet, { signer: impostor })),
      domain: DOMAIN,
    });

    expect(principal).toBeNull();
  });

  it("refuses a message past its expiration time", async () => {
    const wallet = newWallet();

    const principal = await signInWithEthereum({
      ...(await signedMessage(wallet, { expirationTime: new Date(Date.now() - 60_000) })),
      domain: DOMAIN,
    });

    expect(principal).toBeNull();
  });

  it("refuses a message altered after signing", async () => {
    const wallet = newWallet();
    const { message, signature } = await signedMessage(wallet);

    const principal = await signInWithEthereum({
      message: message.replace("Sign in to Bidcloud", "Sign in to Bidcloud as admin"),
      signature,
      domain: DOMAIN,
    });

    expect(principal).toBeNull();
  });

  it("refuses garbage instead of a message or a signature", async () => {
    const wallet = newWallet();
    const { message } = await signedMessage(wallet);

    expect(await signInWithEthereum({ message: "hello", signature: "0x1234", domain: DOMAIN })).toBeNull();
    expect(await signInWithEthereum({ message, signature: "0xdeadbeef", domain: DOMAIN })).toBeNull();
  });
});
