import type { Principal } from "@/lib/auth/principal";
import { AppError } from "@/lib/errors";
import { marketTransaction } from "@/lib/market/market-transaction";
import { findLease } from "@/lib/market/market.repository";
import { leaseToWire } from "@/lib/market/wire-format";
import { findDeployment, findManifest, markManifestDelivered } from "./deployment.repository";
import { winningLeaseOf } from "./deployment-queries";
import { db } from "@/lib/db";

export interface ManifestView {
  deploymentId: string;
  manifestVersion: string;
  /** Akash's sorted-JSON manifest text: sha256 of exactly these bytes is manifestVersion. */
  manifestJson: string;
}

/**
 * The manifest goes to the deployment's tenant and to the provider holding a live lease on
 * one of its orders, nobody else (not even admins: it may carry the tenant's secrets). The
 * provider's first fetch marks the lease's manifest as delivered.
 */
export async function fetchManifest(
  principal: Principal,
  deploymentId: string,
  now = new Date(),
): Promise<ManifestView> {
  const deployment = await findDeployment(db(), deploymentId);
  if (!deployment) throw new AppError("NOT_FOUND", "no deployment with this id");
  if (deployment.tenantId !== principal.accountId) {
    const lease = await winningLeaseOf(principal, deploymentId);
    if (!lease) {
      throw new AppError(
        "FORBIDDEN",
        "only the deployment's tenant and the provider that won its lease can fetch the manifest",
      );
    }
    if (!lease.manifestDeliveredAt) {
      await marketTransaction(async (tx, emit) => {
        if (!(await markManifestDelivered(tx, lease.id, now))) return;
        const updated = await findLease(tx, lease.id);
        if (!updated) return;
        await emit({
          type: "lease.updated",
          entityId: lease.id,
          audience: [lease.tenantId, lease.provider.accountId],
          payload: leaseToWire(updated),
        });
      });
    }
  }
  const manifestJson = await findManifest(db(), deploymentId);
  if (manifestJson === null) throw new AppError("NOT_FOUND", "no deployment with this id");
  return { deploymentId, manifestVersion: deployment.manifestVersion, manifestJson };
}
