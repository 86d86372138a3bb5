import {
  PatchStrategy,
  type CoreV1Api,
  type KubernetesObjectApi,
  type NetworkingV1Api,
  type V1Ingress,
} from "@kubernetes/client-node";
import type { AgentLog } from "@/agent/log";
import { AppError } from "@/lib/errors";
import type { LogLine, ServiceReport, WorkloadEvent } from "@/lib/verify/protocol";
import type { LeaseWorkload, Runtime } from "../runtime";
import { isNotFound } from "./api-errors";
import { serviceReport } from "./deployment-state";
import type { DeploymentWatch } from "./deployment-watch";
import { drainLease, emptyDrainMemory, type DrainMemory } from "./lease-drain";
import { ANNOTATIONS, FIELD_MANAGER, MANAGED_SELECTOR, namespaceName } from "./names";
import { applyOrder, buildLeaseObjects } from "./objects";
import type { ResolvedOptions } from "./options";
import { pruneStaleObjects } from "./prune-stale-objects";
import { serviceUris } from "./service-uris";

export interface KubernetesClients {
  objects: KubernetesObjectApi;
  core: CoreV1Api;
  networking: NetworkingV1Api;
}

/**
 * A namespace per lease, converged with server-side apply under one field manager; readiness from
 * a watch of every Deployment the runtime made; teardown deletes the namespace, which takes
 * everything in it along.
 */
export class KubernetesRuntime implements Runtime {
  readonly kind = "kubernetes";
  /** Namespaces whose deletion was asked for: their workload no longer counts while they terminate. */
  private readonly tornDown = new Set<string>();
  private readonly drainMemory = new Map<string, DrainMemory>();

  constructor(
    private readonly clients: KubernetesClients,
    private readonly deployments: DeploymentWatch,
    private readonly options: ResolvedOptions,
    private readonly log: AgentLog,
  ) {}

  async deploy(workload: LeaseWorkload): Promise<void> {
    const objects = buildLeaseObjects(workload, this.options);
    const namespace = objects.namespace.metadata?.name ?? "";
    await this.checkHostsAreFree(namespace, objects.ingresses);
    this.tornDown.delete(namespace);
    const ordered = applyOrder(objects);
    for (const object of ordered) {
      // force: this agent owns these objects; it takes back any field someone else changed by hand.
      const applied = await this.clients.objects.patch(
        object,
        undefined,
        undefined,
        FIELD_MANAGER,
        true,
        PatchStrategy.ServerSideApply,
      );
      if (applied.kind === "Deployment") this.deployments.remember(applied);
    }
    const pruned = await pruneStaleObjects(this.clients.objects, namespace, ordered);
    this.log.info("kubernetes lease applied", {
      leaseId: workload.leaseId,
      namespace,
      objects: ordered.length,
      pruned: pruned.length,
    });
  }

  async status(leaseId: string): Promise<ServiceReport[]> {
    const namespace = this.namespaceOf(leaseId);
    const deployments = this.deployments
      .deploymentsIn(namespace)
      .filter((deployment) => !deployment.deleting);
    if (this.tornDown.has(namespace)) {
      // Forget the teardown once the watch has seen the last Deployment go.
      if (deployments.length === 0) this.tornDown.delete(namespace);
      return [];
    }
    if (deployments.length === 0) return [];
    const [ingresses, services] = await Promise.all([
      this.clients.networking.listNamespacedIngress({ namespace, labelSelector: MANAGED_SELECTOR }),
      this.clients.core.listNamespacedService({ namespace, labelSelector: MANAGED_SELECTOR }),
    ]);
    const uris = serviceUris(ingresses.items, services.items, this.options);
    return deployments
      .sort((a, b) => a.service.localeCompare(b.service))
      .map((deployment) => serviceReport(deployment, uris.get(deployment.service) ?? []));
  }

  async drain(leaseId: string): Promise<{ events: WorkloadEvent[]; logs: LogLine[] }> {
    const namespace = this.namespaceOf(leaseId);
    if (this.tornDown.has(namespace)) return { events: [], logs: [] };
    let memory = this.drainMemory.get(namespace);
    if (!memory) {
      memory = emptyDrainMemory();
      this.drainMemory.set(namespace, memory);
    }
    return drainLease({
      core: this.clients.core,
      namespace,
      services: new Set(this.deployments.deploymentsIn(namespace).map((deployment) => deployment.service)),
      memory,
      logTailLines: this.options.logTailLines,
      log: this.log,
    });
  }

  async teardown(leaseId: string): Promise<void> {
    await this.deleteNamespace(this.namespaceOf(leaseId));
  }

  /**
   * The leases of the namespaces this runtime made and has not deleted. Only a namespace named as
   * this runtime names it counts: an agent with another prefix on the same cluster (another
   * provider) labels its namespaces alike, and their leases are none of this agent's business.
   */
  async leaseIds(): Promise<string[]> {
    const namespaces = await this.clients.core.listNamespace({ labelSelector: MANAGED_SELECTOR });
    return namespaces.items.flatMap((namespace) => {
      const leaseId = namespace.metadata?.annotations?.[ANNOTATIONS.leaseId];
      if (!leaseId || namespace.metadata?.deletionTimestamp) return [];
      return namespace.metadata?.name === this.namespaceOf(leaseId) ? [leaseId] : [];
    });
  }

  async close(options?: { teardownAll?: boolean }): Promise<void> {
    try {
      if (options?.teardownAll) {
        const leaseIds = await this.leaseIds();
        await Promise.all(leaseIds.map((leaseId) => this.teardown(leaseId)));
      }
    } finally {
      await this.deployments.close();
    }
  }

  private namespaceOf(leaseId: string): string {
    return namespaceName(leaseId, this.options.namespacePrefix);
  }

  /** Deleting the namespace deletes everything in it (Kubernetes' namespace controller does the rest). */
  private async deleteNamespace(namespace: string): Promise<void> {
    try {
      await this.clients.core.deleteNamespace({ name: namespace });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    this.tornDown.add(namespace);
    this.drainMemory.delete(namespace);
    this.log.info("kubernetes lease torn down", { namespace });
  }

  /**
   * A tenant's own host may be served for one lease only: the ingress controller would otherwise
   * merge or pick between two leases' rules and send one tenant's traffic to another.
   */
  private async checkHostsAreFree(namespace: string, ingresses: readonly V1Ingress[]): Promise<void> {
    const wanted = new Set(
      ingresses.flatMap((ingress) => ingress.spec?.rules?.map((rule) => rule.host ?? "") ?? []),
    );
    const tenantHosts = [...wanted].filter((host) => !host.endsWith(`.${this.options.ingressDomain}`));
    if (tenantHosts.length === 0) return;
    const existing = await this.clients.networking.listIngressForAllNamespaces({
      labelSelector: MANAGED_SELECTOR,
    });
    for (const ingress of existing.items) {
      if (ingress.metadata?.namespace === namespace) continue;
      const taken = ingress.spec?.rules?.find((rule) => rule.host && tenantHosts.includes(rule.host));
      if (taken?.host)
        throw new AppError("CONFLICT", `host ${taken.host} is already served for another lease`);
    }
  }
}
