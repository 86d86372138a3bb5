import { getAddress, recoverMessageAddress, type Hex } from "viem";
import { generateSiweNonce, parseSiweMessage, validateSiweMessage } from "viem/siwe";

/**
 * Checks an EIP-4361 message and its signature for our domain and a nonce we issued.
 * Returns the checksummed address, or null when anything does not hold.
 */
export async function verifySiweSignature(params: {
  message: string;
  signature: Hex;
  domain: string;
  now: Date;
}): Promise<{ address: string; nonce: string } | null> {
  const fields = parseSiweMessage(params.message);
  if (!fields.address || !fields.nonce) return null;
  if (!validateSiweMessage({ message: fields, domain: params.domain, time: params.now })) return null;
  let signer: string;
  try {
    signer = await recoverMessageAddress({ message: params.message, signature: params.signature });
  } catch {
    return null;
  }
  if (getAddress(signer) !== getAddress(fields.address)) return null;
  return { address: getAddress(fields.address), nonce: fields.nonce };
}

export function newSiweNonce(): string {
  return generateSiweNonce();
}
