import { getAddress, toHex, type Hex } from "viem";
import { createSiweMessage } from "viem/siwe";

/**
 * The browser half of Sign-In with Ethereum: builds the EIP-4361 message a wallet signs.
 * Pure and free of server imports, so client components can use it; the server half
 * (verification) is in siwe.ts.
 */
export function buildSiweMessage(params: {
  domain: string;
  uri: string;
  address: string;
  chainId: number;
  nonce: string;
  issuedAt?: Date;
}): string {
  return createSiweMessage({
    domain: params.domain,
    uri: params.uri,
    address: getAddress(params.address),
    chainId: params.chainId,
    nonce: params.nonce,
    version: "1",
    statement: "Sign in to Bidcloud.",
    issuedAt: params.issuedAt ?? new Date(),
  });
}

/** personal_sign takes the message as hex-encoded UTF-8 (EIP-1193 wallets accept this form everywhere). */
export function personalSignPayload(message: string): Hex {
  return toHex(message);
}

/** The checksummed form of a wallet address, or null when it is not an address. */
export function checksumAddress(value: string): string | null {
  try {
    return getAddress(value);
  } catch {
    return null;
  }
}
