import pg from "pg";
import { databaseUrl } from "@/lib/env";

/**
 * A fingerprint of everything the given accounts own or touch in the market: accounts, API
 * keys (not lastUsedAt, which authenticating refreshes), provider profiles, inventory, the
 * orders they posted or bid on, those orders' bids, leases and allocations, their deployments, wallets, escrow accounts and chain intents, and how many
 * events and idempotency records concern them. Two equal fingerprints mean nothing changed.
 * Scoped to the accounts because other test files write to the same database meanwhile.
 */
const SNAPSHOT_SQL = `
WITH accts AS (SELECT unnest($1::text[]) AS id),
provs AS (SELECT id FROM provider WHERE "accountId" IN (SELECT id FROM accts)),
ords AS (
  SELECT id FROM "order" WHERE "tenantId" IN (SELECT id FROM accts)
  UNION SELECT "orderId" FROM bid WHERE "providerId" IN (SELECT id FROM provs)
),
leas AS (SELECT id FROM lease WHERE "orderId" IN (SELECT id FROM ords) OR "providerId" IN (SELECT id FROM provs)),
escs AS (SELECT e.id FROM escrow_account e JOIN deployment d ON d.id = e."deploymentId"
  WHERE d."tenantId" IN (SELECT id FROM accts)),
wals AS (SELECT address FROM wallet WHERE "accountId" IN (SELECT id FROM accts))
SELECT json_build_object(
  'accounts', (SELECT json_agg(json_build_object('id', a.id, 'email', a.email, 'ethAddress', a."ethAddress",
      'roles', a.roles, 'status', a.status, 'passwordHash', a."passwordHash") ORDER BY a.id)
    FROM account a WHERE a.id IN (SELECT id FROM accts)),
  'apiKeys', (SELECT json_agg(json_build_object('id', k.id, 'name', k.name, 'hash', k.hash, 'revokedAt', k."revokedAt")
    ORDER BY k.id) FROM api_key k WHERE k."accountId" IN (SELECT id FROM accts)),
  'providers', (SELECT json_agg(p ORDER BY p.id) FROM provider p WHERE p.id IN (SELECT id FROM provs)),
  'inventory', (SELECT json_agg(i ORDER BY i.id) FROM inventory i WHERE i."providerId" IN (SELECT id FROM provs)),
  'orders', (SELECT json_agg(o ORDER BY o.id) FROM "order" o WHERE o.id IN (SELECT id FROM ords)),
  'bids', (SELECT json_agg(b ORDER BY b.id) FROM bid b
    WHERE b."orderId" IN (SELECT id FROM ords) OR b."providerId" IN (SELECT id FROM provs)),
  'leases', (SELECT json_agg(l ORDER BY l.id) FROM lease l WHERE l.id IN (SELECT id FROM leas)),
  'allocations', (SELECT json_agg(la ORDER BY la."leaseId", la."inventoryId") FROM lease_allocation la
    WHERE la."leaseId" IN (SELECT id FROM leas)),
  'deployments', (SELECT json_agg(d ORDER BY d.id) FROM deployment d WHERE d."tenantId" IN (SELECT id FROM accts)),
  'wallets', (SELECT json_agg(w ORDER BY w."accountId") FROM wallet w WHERE w."accountId" IN (SELECT id FROM accts)),
  'escrowAccounts', (SELECT json_agg(e ORDER BY e.id) FROM escrow_account e WHERE e.id IN (SELECT id FROM escs)),
  'chainTxs', (SELECT json_agg(json_build_object('id', c.id, 'kind', c.kind, 'payload', c.payload, 'status', c.status)
    ORDER BY c.id) FROM chain_tx c
    WHERE c."escrowAccountId" IN (SELECT id FROM escs) OR c."fromAddress" IN (SELECT address FROM wals)
      OR c."leaseId" IN (SELECT id FROM leas)),
  'events', (SELECT count(*) FROM market_event e WHERE e.audience && $1::text[]),
  'verifications', (SELECT json_agg(v ORDER BY v."leaseId") FROM lease_verification v
    WHERE v."leaseId" IN (SELECT id FROM leas)),
  'leaseEvents', (SELECT count(*) FROM lease_event e WHERE e."leaseId" IN (SELECT id FROM leas)),
  'leaseLogs', (SELECT count(*) FROM lease_log g WHERE g."leaseId" IN (SELECT id FROM leas)),
  'idempotencyRecords', (SELECT count(*) FROM idempotency_record r WHERE r."accountId" IN (SELECT id FROM accts))
) AS snapshot`;

let pool: pg.Pool | undefined;

function connection(): pg.Pool {
  pool ??= new pg.Pool({ connectionString: databaseUrl(), max: 1 });
  return pool;
}

export async function marketSnapshot(accountIds: string[]): Promise<unknown> {
  const result = await connection().query<{ snapshot: unknown }>(SNAPSHOT_SQL, [accountIds]);
  return result.rows[0]?.snapshot;
}

/** Plain queries for tests that check the database directly. */
export async function queryRows<T extends pg.QueryResultRow>(
  sql: string,
  values: unknown[] = [],
): Promise<T[]> {
  return (await connection().query<T>(sql, values)).rows;
}

export async function closeSnapshotPool(): Promise<void> {
  await pool?.end();
  pool = undefined;
}
