import { privateKeyToAddress } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { deriveKey, walletLabel } from "./keys";

const SECRET = "11".repeat(32);

describe("deriveKey", () => {
  it("gives the same key for the same secret and label, and different keys otherwise", () => {
    const a = deriveKey(SECRET, walletLabel("acc-1"));
    expect(deriveKey(`0x${SECRET}`, walletLabel("acc-1"))).toBe(a);
    expect(deriveKey(SECRET, walletLabel("acc-2"))).not.toBe(a);
    expect(deriveKey("22".repeat(32), walletLabel("acc-1"))).not.toBe(a);
    expect(deriveKey(SECRET, "operator")).not.toBe(deriveKey(SECRET, "verifier"));
  });

  it("gives keys that make valid addresses", () => {
    expect(privateKeyToAddress(deriveKey(SECRET, "operator"))).toMatch(/^0x[0-9a-fA-F]{40}$/);
  });

  it("refuses a secret that is not 32 bytes", () => {
    expect(() => deriveKey("abcd", "operator")).toThrow(/32 bytes/);
  });
});
