import type { DeploymentRecord } from "./deployment.repository";

/** The JSON shape of a deployment as the REST API and the event streams send it. */
export function deploymentToWire(deployment: DeploymentRecord) {
  return {
    id: deployment.id,
    state: deployment.state,
    tenantId: deployment.tenantId,
    name: deployment.name,
    manifestVersion: deployment.manifestVersion,
    autoAccept: deployment.autoAcceptSeconds !== null,
    autoAcceptSeconds: deployment.autoAcceptSeconds,
    createdAt: deployment.createdAt.toISOString(),
    closedAt: deployment.closedAt?.toISOString() ?? null,
  };
}
