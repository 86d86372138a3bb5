import type { AccountRecord } from "./account.repository";
import type { ApiKeyRecord } from "./api-key.repository";

export function accountToWire(account: AccountRecord) {
  return {
    id: account.id,
    state: account.status,
    email: account.email,
    ethAddress: account.ethAddress,
    roles: account.roles,
    createdAt: account.createdAt.toISOString(),
  };
}

export function apiKeyToWire(key: ApiKeyRecord) {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
    state: key.revokedAt ? ("revoked" as const) : ("active" as const),
  };
}
