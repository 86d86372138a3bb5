import type { Db } from "@/lib/db";
import { findManifest } from "@/lib/deployments/deployment.repository";
import type { LeaseRecord } from "@/lib/market/market.repository";

/**
 * The lease's verification row, created on first need with the service names its manifest
 * group expects to see ready (none for an order posted without SDL: then "running" is enough).
 */
export async function ensureVerification(
  db: Db,
  lease: Pick<LeaseRecord, "id" | "deploymentId" | "groupName">,
) {
  const existing = await db.leaseVerification.findUnique({
    where: { leaseId: lease.id },
    select: { leaseId: true },
  });
  if (existing) return;
  const expectedServices =
    lease.deploymentId && lease.groupName
      ? serviceNamesOf(await findManifest(db, lease.deploymentId), lease.groupName)
      : [];
  await db.leaseVerification.upsert({
    where: { leaseId: lease.id },
    create: { leaseId: lease.id, expectedServices },
    update: {},
  });
}

/** Names of the services of one group of an Akash manifest (its sorted JSON). */
export function serviceNamesOf(manifestJson: string | null, groupName: string): string[] {
  if (!manifestJson) return [];
  const groups = JSON.parse(manifestJson) as Array<{
    name: string;
    services: Array<{ name: string }> | null;
  }>;
  const group = groups.find((entry) => entry.name === groupName);
  return (group?.services ?? []).map((service) => service.name);
}
