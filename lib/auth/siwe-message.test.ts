import { privateKeyToAccount } from "viem/accounts";
import { parseSiweMessage } from "viem/siwe";
import { describe, expect, it } from "vitest";
import { verifySiweSignature } from "./siwe";
import { buildSiweMessage, checksumAddress, personalSignPayload } from "./siwe-message";

const account = privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
const now = new Date("2026-11-26T10:00:00Z");

describe("buildSiweMessage", () => {
  it("builds an EIP-4361 message for the page's host, origin, wallet chain and nonce", () => {
    const message = buildSiweMessage({
      domain: "bidcloud.example",
      uri: "https://bidcloud.example",
      address: account.address.toLowerCase(),
      chainId: 8453,
      nonce: "abcdef1234567890",
      issuedAt: now,
    });
    expect(parseSiweMessage(message)).toMatchObject({
      domain: "bidcloud.example",
      uri: "https://bidcloud.example",
      address: account.address,
      chainId: 8453,
      nonce: "abcdef1234567890",
      version: "1",
    });
  });

  it("gives a message whose wallet signature the server verifies for its domain only", async () => {
    const message = buildSiweMessage({
      domain: "127.0.0.1:3100",
      uri: "http://127.0.0.1:3100",
      address: account.address,
      chainId: 1,
      nonce: "noncenonce12345",
      issuedAt: now,
    });
    const signature = await account.signMessage({ message: { raw: personalSignPayload(message) } });
    await expect(verifySiweSignature({ message, signature, domain: "127.0.0.1:3100", now })).resolves.toEqual(
      {
        address: account.address,
        nonce: "noncenonce12345",
      },
    );
    await expect(
      verifySiweSignature({ message, signature, domain: "evil.example", now }),
    ).resolves.toBeNull();
  });
});

describe("checksumAddress", () => {
  it("checksums an address and rejects what is not one", () => {
    expect(checksumAddress(account.address.toLowerCase())).toBe(account.address);
    expect(checksumAddress("0x1234")).toBeNull();
  });
});
