import type { CoreV1Event } from "@kubernetes/client-node";
import type { WorkloadEvent } from "@/lib/verify/protocol";

const MAX_REASON_CHARS = 64;
const MAX_MESSAGE_CHARS = 1024;

export interface EventContext {
  /** The lease's service names (its Deployments). */
  services: ReadonlySet<string>;
  /** Pod name to service, from the pods' labels. */
  podServices: ReadonlyMap<string, string>;
  /** Stands in for an event that carries no time at all. */
  now: Date;
}

/** One occurrence of an event: Kubernetes counts repeats in the same object, changing its resource version. */
export function eventOccurrenceKey(event: CoreV1Event): string {
  return `${event.metadata.uid ?? event.metadata.name ?? ""}@${event.metadata.resourceVersion ?? ""}`;
}

export function workloadEvent(event: CoreV1Event, context: EventContext): WorkloadEvent {
  const at =
    event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? event.metadata.creationTimestamp;
  const service = serviceOf(event, context);
  return {
    at: toIso(at, context.now),
    type: event.type === "Warning" ? "warning" : "normal",
    reason: (event.reason || "Unknown").slice(0, MAX_REASON_CHARS),
    message: (event.message ?? "").slice(0, MAX_MESSAGE_CHARS),
    ...(service ? { service } : {}),
  };
}

/**
 * The service an event is about. Pods are looked up by their labels; a ReplicaSet is named
 * `<deployment>-<hash>` and a pod whose labels are gone `<deployment>-<hash>-<suffix>`.
 */
function serviceOf(event: CoreV1Event, context: EventContext): string | undefined {
  const { kind, name } = event.involvedObject;
  if (!name) return undefined;
  const candidate =
    kind === "Deployment"
      ? name
      : kind === "ReplicaSet"
        ? dropSegments(name, 1)
        : kind === "Pod"
          ? (context.podServices.get(name) ?? dropSegments(name, 2))
          : undefined;
  return candidate !== undefined && context.services.has(candidate) ? candidate : undefined;
}

function dropSegments(name: string, count: number): string {
  return name.split("-").slice(0, -count).join("-");
}

/** Client models hold timestamps as Dates; anything else (a raw string) is parsed. */
function toIso(value: Date | string | undefined, fallback: Date): string {
  const date = value instanceof Date ? value : value ? new Date(value) : null;
  return (date && !Number.isNaN(date.getTime()) ? date : fallback).toISOString();
}
