import type { Principal } from "@/lib/auth/principal";
import { newSiweNonce, verifySiweSignature } from "@/lib/auth/siwe";
import { db, transaction } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { findAccountByEthAddress, insertAccount } from "./account.repository";
import { principalForAccount } from "./authenticate";

const SIWE_NONCE_TTL_MS = 10 * 60_000;

export async function issueSiweNonce(now = new Date()): Promise<string> {
  const nonce = newSiweNonce();
  await db().siweNonce.create({ data: { nonce, expiresAt: new Date(now.getTime() + SIWE_NONCE_TTL_MS) } });
  return nonce;
}

/**
 * Signs in (creating a tenant account on first use) with a signed EIP-4361 message.
 * The nonce is consumed in the same transaction, so a message can be used once.
 */
export async function signInWithEthereum(
  params: { message: string; signature: `0x${string}`; domain: string },
  now = new Date(),
): Promise<Principal | null> {
  const verified = await verifySiweSignature({ ...params, now });
  if (!verified) return null;
  const accountId = await transaction(async (tx) => {
    const consumed = await tx.siweNonce.updateMany({
      where: { nonce: verified.nonce, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (consumed.count !== 1) return null;
    const existing = await findAccountByEthAddress(tx, verified.address);
    if (existing) return existing.id;
    const created = await insertAccount(tx, { ethAddress: verified.address, roles: ["tenant"] });
    return created.id;
  });
  if (!accountId) return null;
  try {
    return await principalForAccount(accountId);
  } catch (error) {
    if (error instanceof AppError && error.code === "FORBIDDEN") throw error;
    return null;
  }
}
