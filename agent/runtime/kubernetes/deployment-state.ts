import { z } from "zod";
import type { ServiceReport } from "@/lib/verify/protocol";
import { LABELS } from "./names";

/** What status needs of a Deployment, whether it came from a list (client models) or a watch event (raw JSON). */
export interface DeploymentState {
  namespace: string;
  name: string;
  service: string;
  resourceVersion: string;
  generation: number;
  /** Being deleted (its namespace is terminating, or it was pruned). */
  deleting: boolean;
  replicas: number;
  observedGeneration: number;
  updatedReplicas: number;
  readyReplicas: number;
}

const count = z.number().int().min(0).nullish();

const DeploymentShape = z.object({
  metadata: z.object({
    name: z.string(),
    namespace: z.string(),
    resourceVersion: z.string().nullish(),
    generation: count,
    deletionTimestamp: z.unknown().optional(),
    labels: z.record(z.string(), z.string()).nullish(),
  }),
  spec: z.object({ replicas: count }).nullish(),
  status: z.object({ observedGeneration: count, updatedReplicas: count, readyReplicas: count }).nullish(),
});

/** Null for something that is not a Deployment as this runtime makes them. */
export function deploymentState(object: unknown): DeploymentState | null {
  const parsed = DeploymentShape.safeParse(object);
  if (!parsed.success) return null;
  const { metadata, spec, status } = parsed.data;
  return {
    namespace: metadata.namespace,
    name: metadata.name,
    service: metadata.labels?.[LABELS.service] ?? metadata.name,
    resourceVersion: metadata.resourceVersion ?? "",
    generation: metadata.generation ?? 0,
    deleting: metadata.deletionTimestamp !== undefined && metadata.deletionTimestamp !== null,
    // The API server defaults replicas to 1.
    replicas: spec?.replicas ?? 1,
    observedGeneration: status?.observedGeneration ?? 0,
    updatedReplicas: status?.updatedReplicas ?? 0,
    readyReplicas: status?.readyReplicas ?? 0,
  };
}

/**
 * Ready as `kubectl rollout status` sees it: the controller has seen the current spec, and every
 * replica runs it and passes its readiness probe. A status left over from the previous spec does not count.
 */
export function isReady(state: DeploymentState): boolean {
  return (
    !state.deleting &&
    state.observedGeneration >= state.generation &&
    state.updatedReplicas >= state.replicas &&
    state.readyReplicas >= state.replicas
  );
}

export function serviceReport(state: DeploymentState, uris: readonly string[]): ServiceReport {
  return {
    name: state.service,
    ready: isReady(state),
    replicas: state.replicas,
    readyReplicas: Math.min(state.readyReplicas, state.replicas),
    uris: [...uris],
  };
}

/**
 * Whether `candidate` is at least as new as `current`. Kubernetes asks clients to treat resource
 * versions as opaque, but every API server backed by etcd issues increasing integers; comparing
 * them keeps a slow apply response from overwriting a newer watch event.
 */
export function isNotOlder(candidate: string, current: string): boolean {
  if (!/^\d+$/.test(candidate) || !/^\d+$/.test(current)) return true;
  return BigInt(candidate) >= BigInt(current);
}
