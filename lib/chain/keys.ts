import { createHmac } from "node:crypto";
import { privateKeyToAddress } from "viem/accounts";
import type { Hex } from "@/lib/escrow/chain-port";

/**
 * Managed keys, derived on the server from one master secret: HMAC-SHA256(secret, label).
 * Nothing stores a private key; the same secret always gives the same keys, and a key for
 * one label says nothing about another. Keys never leave this process (no API, no log).
 */
const SECP256K1_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

export type KeyLabel = "operator" | "verifier" | "treasury" | `wallet:${string}`;

export function deriveKey(masterSecret: string, label: KeyLabel): Hex {
  const secret = Buffer.from(masterSecret.replace(/^0x/, ""), "hex");
  if (secret.length !== 32) throw new Error("the master secret must be 32 bytes of hex");
  for (let counter = 0; ; counter++) {
    const digest = createHmac("sha256", secret)
      .update(counter === 0 ? `bidcloud:${label}` : `bidcloud:${label}:${counter}`)
      .digest("hex");
    const value = BigInt(`0x${digest}`);
    // Valid secp256k1 keys are 1..n-1; a digest outside happens with probability ~2^-128.
    if (value > 0n && value < SECP256K1_ORDER) return `0x${digest}`;
  }
}

export function walletLabel(accountId: string): `wallet:${string}` {
  return `wallet:${accountId}`;
}

/** The lowercase address of a derived key. */
export function deriveAddress(masterSecret: string, label: KeyLabel): Hex {
  return privateKeyToAddress(deriveKey(masterSecret, label)).toLowerCase() as Hex;
}
