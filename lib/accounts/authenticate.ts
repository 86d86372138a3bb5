import { hashApiKey, looksLikeApiKey } from "@/lib/auth/api-key-token";
import { decoyPasswordHash, verifyPassword } from "@/lib/auth/password";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { env } from "@/lib/env";
import {
  findAccountByActiveApiKeyHash,
  findAccountByEmail,
  findAccountById,
  type AccountRecord,
} from "./account.repository";
import { touchApiKey } from "./api-key.repository";

const API_KEY_TOUCH_INTERVAL_MS = 60_000;

function toPrincipal(account: AccountRecord): Principal {
  if (account.status === "suspended") throw new AppError("FORBIDDEN", "this account is suspended");
  return {
    accountId: account.id,
    email: account.email,
    ethAddress: account.ethAddress,
    roles: account.roles,
  };
}

/** Null when the email or password is wrong; throws FORBIDDEN for a suspended account. */
export async function authenticateWithPassword(email: string, password: string): Promise<Principal | null> {
  const account = await findAccountByEmail(db(), email.trim().toLowerCase());
  if (!account?.passwordHash) {
    await verifyPassword(password, await decoyPasswordHash(env().PASSWORD_SCRYPT_LOG_N));
    return null;
  }
  if (!(await verifyPassword(password, account.passwordHash))) return null;
  return toPrincipal(account);
}

export async function authenticateApiKey(key: string, now = new Date()): Promise<Principal> {
  if (!looksLikeApiKey(key)) throw new AppError("UNAUTHENTICATED", "the API key is not valid");
  const found = await findAccountByActiveApiKeyHash(db(), hashApiKey(key));
  if (!found) throw new AppError("UNAUTHENTICATED", "the API key is not valid");
  if (!found.keyLastUsedAt || now.getTime() - found.keyLastUsedAt.getTime() > API_KEY_TOUCH_INTERVAL_MS) {
    await touchApiKey(db(), found.keyId, now);
  }
  return toPrincipal(found.account);
}

/** Sessions carry only the account id; roles and suspension are read fresh on every request. */
export async function principalForAccount(accountId: string): Promise<Principal> {
  const account = await findAccountById(db(), accountId);
  if (!account) throw new AppError("UNAUTHENTICATED", "the session is no longer valid");
  return toPrincipal(account);
}
