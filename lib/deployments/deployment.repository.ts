import type { Db } from "@/lib/db";
import type { Prisma } from "@/lib/db/generated/client";

/** Rows of deployments, mapped to domain records; Prisma types stop here. */

export type DeploymentState = "active" | "closed";

export interface DeploymentRecord {
  id: string;
  tenantId: string;
  name: string;
  manifestVersion: string;
  state: DeploymentState;
  autoAcceptSeconds: number | null;
  createdAt: Date;
  closedAt: Date | null;
}

const summarySelect = {
  id: true,
  tenantId: true,
  name: true,
  manifestVersion: true,
  state: true,
  autoAcceptSeconds: true,
  createdAt: true,
  closedAt: true,
} as const;
type DeploymentRow = Prisma.DeploymentGetPayload<{ select: typeof summarySelect }>;

function toDeployment(row: DeploymentRow): DeploymentRecord {
  return { ...row };
}

export async function insertDeployment(
  db: Db,
  data: {
    tenantId: string;
    name: string;
    sdl: string;
    manifest: string;
    manifestVersion: string;
    autoAcceptSeconds: number | null;
  },
): Promise<DeploymentRecord> {
  return toDeployment(await db.deployment.create({ data, select: summarySelect }));
}

export async function findDeployment(db: Db, id: string): Promise<DeploymentRecord | null> {
  const row = await db.deployment.findUnique({ where: { id }, select: summarySelect });
  return row ? toDeployment(row) : null;
}

/** Takes the deployment's row lock; closing takes it before any of its orders' locks. */
export async function lockDeployment(db: Db, id: string): Promise<DeploymentRecord | null> {
  const rows = await db.$queryRaw<{ id: string }[]>`SELECT id FROM deployment WHERE id = ${id} FOR UPDATE`;
  return rows[0] ? findDeployment(db, id) : null;
}

/** The SDL source: up to 256 KiB, so only the one page that shows it reads it. */
export async function findSdl(db: Db, id: string): Promise<string | null> {
  const row = await db.deployment.findUnique({ where: { id }, select: { sdl: true } });
  return row?.sdl ?? null;
}

export async function findManifest(db: Db, id: string): Promise<string | null> {
  const row = await db.deployment.findUnique({ where: { id }, select: { manifest: true } });
  return row?.manifest ?? null;
}

export async function listDeployments(
  db: Db,
  filter: { tenantId?: string; state?: DeploymentState; take: number },
): Promise<DeploymentRecord[]> {
  const rows = await db.deployment.findMany({
    where: { tenantId: filter.tenantId, state: filter.state },
    orderBy: { id: "desc" },
    take: filter.take,
    select: summarySelect,
  });
  return rows.map(toDeployment);
}

export async function setDeploymentClosed(db: Db, id: string, now: Date): Promise<void> {
  await db.deployment.update({ where: { id }, data: { state: "closed", closedAt: now } });
}

export async function listOrderIdsOfDeployment(db: Db, deploymentId: string): Promise<string[]> {
  const rows = await db.order.findMany({
    where: { deploymentId },
    orderBy: { id: "asc" },
    select: { id: true },
  });
  return rows.map((row) => row.id);
}

/** Stamps the first manifest fetch by the winning provider; returns true when this call stamped it. */
export async function markManifestDelivered(db: Db, leaseId: string, now: Date): Promise<boolean> {
  const result = await db.lease.updateMany({
    where: { id: leaseId, manifestDeliveredAt: null, state: { not: "closed" } },
    data: { manifestDeliveredAt: now },
  });
  return result.count === 1;
}

/**
 * Open orders of auto-accepting deployments whose window has passed and that have at least
 * one open, unexpired bid: the candidates for an automatic accept.
 */
export async function listAutoAcceptDue(db: Db, now: Date, take: number): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT o.id FROM "order" o JOIN deployment d ON d.id = o."deploymentId"
    WHERE o.state = 'open' AND o."expiresAt" > ${now} AND d.state = 'active'
      AND d."autoAcceptSeconds" IS NOT NULL
      AND o."createdAt" + make_interval(secs => d."autoAcceptSeconds") <= ${now}
      AND EXISTS (SELECT 1 FROM bid b WHERE b."orderId" = o.id AND b.state = 'open' AND b."expiresAt" > ${now})
    ORDER BY o."createdAt" LIMIT ${take}`;
  return rows.map((row) => row.id);
}
