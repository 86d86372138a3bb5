import type { Db } from "@/lib/db";
import type { LeaseVerification } from "@/lib/db/generated/client";
import { findManifest } from "@/lib/deployments/deployment.repository";
import type { LeaseRecord } from "@/lib/market/market.repository";

/**
 * The lease's verification row, created on first need with the service names its manifest
 * group expects to see ready, and those of them exposed globally (which must report a URI to
 * probe); none for an order posted without SDL: then "running" is enough.
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
  const services =
    lease.deploymentId && lease.groupName
      ? servicesOf(await findManifest(db, lease.deploymentId), lease.groupName)
      : [];
  await db.leaseVerification.upsert({
    where: { leaseId: lease.id },
    create: {
      leaseId: lease.id,
      expectedServices: services.map((service) => service.name),
      globalServices: services.filter((service) => service.global).map((service) => service.name),
    },
    update: {},
  });
}

interface ManifestService {
  name: string;
  expose: Array<{ global: boolean }> | null;
}

/** The services of one group of an Akash manifest (its sorted JSON), and whether each is exposed globally. */
export function servicesOf(
  manifestJson: string | null,
  groupName: string,
): { name: string; global: boolean }[] {
  if (!manifestJson) return [];
  const groups = JSON.parse(manifestJson) as Array<{ name: string; services: ManifestService[] | null }>;
  const group = groups.find((entry) => entry.name === groupName);
  return (group?.services ?? []).map((service) => ({
    name: service.name,
    global: (service.expose ?? []).some((port) => port.global),
  }));
}

export type VerificationRow = LeaseVerification;

/** Live leases to check (or only some of them), each with its verification row when it has one. */
export async function listLeasesToCheck(db: Db, only?: string[]) {
  return db.lease.findMany({
    where: { state: "active", ...(only ? { id: { in: only } } : {}) },
    select: { id: true, createdAt: true, verification: true },
  });
}
