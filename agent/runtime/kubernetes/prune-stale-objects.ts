import type { KubernetesObject, KubernetesObjectApi } from "@kubernetes/client-node";
import { isNotFound } from "./api-errors";
import { MANAGED_SELECTOR } from "./names";

/** The kinds a lease's namespace holds, in the order they are removed: pods stop before their exposure goes. */
const PRUNED_KINDS = [
  { apiVersion: "apps/v1", kind: "Deployment" },
  { apiVersion: "networking.k8s.io/v1", kind: "Ingress" },
  { apiVersion: "v1", kind: "Service" },
  { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy" },
] as const;

/**
 * Server-side apply only adds and changes; converging to a new manifest also means deleting what
 * it no longer has (a service dropped, a port no longer global). Only objects carrying this
 * runtime's label are considered, so whatever else an operator put in the namespace stays.
 */
export async function pruneStaleObjects(
  api: KubernetesObjectApi,
  namespace: string,
  desired: readonly KubernetesObject[],
): Promise<KubernetesObject[]> {
  const wanted = new Set(desired.map(objectKey));
  const pruned: KubernetesObject[] = [];
  for (const { apiVersion, kind } of PRUNED_KINDS) {
    const list = await api.list(
      apiVersion,
      kind,
      namespace,
      undefined,
      undefined,
      undefined,
      undefined,
      MANAGED_SELECTOR,
    );
    for (const item of list.items) {
      const object = { apiVersion, kind, metadata: { name: item.metadata?.name, namespace } };
      if (wanted.has(objectKey(object))) continue;
      try {
        await api.delete(object);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      pruned.push(object);
    }
  }
  return pruned;
}

function objectKey(object: KubernetesObject): string {
  return `${object.apiVersion}/${object.kind}/${object.metadata?.name ?? ""}`;
}
