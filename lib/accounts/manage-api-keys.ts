import { generateApiKey } from "@/lib/auth/api-key-token";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { insertApiKey, listApiKeys, revokeApiKey, type ApiKeyRecord } from "./api-key.repository";

const MAX_ACTIVE_API_KEYS = 25;

export async function createApiKey(
  principal: Principal,
  name: string,
): Promise<{ apiKey: ApiKeyRecord; key: string }> {
  const active = (await listApiKeys(db(), principal.accountId)).filter((key) => !key.revokedAt);
  if (active.length >= MAX_ACTIVE_API_KEYS) {
    throw new AppError("CONFLICT", `at most ${MAX_ACTIVE_API_KEYS} active API keys; revoke one first`);
  }
  const token = generateApiKey();
  const apiKey = await insertApiKey(db(), {
    accountId: principal.accountId,
    name,
    prefix: token.prefix,
    hash: token.hash,
  });
  return { apiKey, key: token.key };
}

export function listOwnApiKeys(principal: Principal): Promise<ApiKeyRecord[]> {
  return listApiKeys(db(), principal.accountId);
}

export async function revokeOwnApiKey(principal: Principal, id: string, now = new Date()): Promise<void> {
  if ((await revokeApiKey(db(), principal.accountId, id, now)) === 0) {
    throw new AppError("NOT_FOUND", "no active API key with this id");
  }
}
