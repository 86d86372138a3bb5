import { db } from "@/lib/db";

/** Nonces past their expiry can no longer sign anyone in; they are deleted. */
export async function pruneSiweNonces(now = new Date()): Promise<number> {
  const result = await db().siweNonce.deleteMany({ where: { expiresAt: { lt: now } } });
  return result.count;
}
