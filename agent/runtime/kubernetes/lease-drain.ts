import type { CoreV1Api, V1Pod } from "@kubernetes/client-node";
import { reasonOf, type AgentLog } from "@/agent/log";
import type { LogLine, WorkloadEvent } from "@/lib/verify/protocol";
import { linesAfter, type LogCursor } from "./log-lines";
import { LABELS, MANAGED_SELECTOR } from "./names";
import { eventOccurrenceKey, workloadEvent } from "./workload-events";

/** What one lease has already handed out, so that each event and log line is drained once. */
export interface DrainMemory {
  seenEvents: Set<string>;
  /** Per "<pod>/<container>". */
  logCursors: Map<string, LogCursor>;
}

export function emptyDrainMemory(): DrainMemory {
  return { seenEvents: new Set(), logCursors: new Map() };
}

export interface DrainInput {
  core: CoreV1Api;
  namespace: string;
  services: ReadonlySet<string>;
  memory: DrainMemory;
  logTailLines: number;
  log: AgentLog;
}

/**
 * The namespace's Kubernetes events and its containers' log lines that were not drained before.
 * Memory lives in this process: after a restart the events still listed (Kubernetes keeps them
 * about an hour) and the last `logTailLines` of each log are drained once more.
 */
export async function drainLease(input: DrainInput): Promise<{ events: WorkloadEvent[]; logs: LogLine[] }> {
  const { core, namespace, memory } = input;
  const [eventList, podList] = await Promise.all([
    core.listNamespacedEvent({ namespace }),
    core.listNamespacedPod({ namespace, labelSelector: MANAGED_SELECTOR }),
  ]);
  const podServices = new Map(
    podList.items.flatMap((pod) => {
      const service = pod.metadata?.labels?.[LABELS.service];
      return pod.metadata?.name && service ? [[pod.metadata.name, service] as const] : [];
    }),
  );

  const now = new Date();
  const listedKeys = new Set<string>();
  const events: WorkloadEvent[] = [];
  for (const event of eventList.items) {
    const key = eventOccurrenceKey(event);
    listedKeys.add(key);
    if (memory.seenEvents.has(key)) continue;
    memory.seenEvents.add(key);
    events.push(workloadEvent(event, { services: input.services, podServices, now }));
  }
  // Forget what Kubernetes has expired, so memory stays the size of the event list.
  for (const key of memory.seenEvents) if (!listedKeys.has(key)) memory.seenEvents.delete(key);
  events.sort((a, b) => a.at.localeCompare(b.at));

  const logs = (await Promise.all(podList.items.map((pod) => newLogLines(pod, input)))).flat();
  const liveContainers = new Set([...podServices].map(([pod, service]) => logKey(pod, service)));
  for (const key of memory.logCursors.keys()) if (!liveContainers.has(key)) memory.logCursors.delete(key);
  logs.sort((a, b) => a.at.localeCompare(b.at));
  return { events, logs };
}

function logKey(pod: string, container: string): string {
  return `${pod}/${container}`;
}

/** Best effort: a pod whose container has not started yet, or whose log cannot be read, gives no lines. */
async function newLogLines(pod: V1Pod, input: DrainInput): Promise<LogLine[]> {
  const name = pod.metadata?.name;
  const service = pod.metadata?.labels?.[LABELS.service];
  if (!name || !service) return [];
  const started = pod.status?.containerStatuses?.some(
    (status) => status.name === service && (Boolean(status.containerID) || status.restartCount > 0),
  );
  if (!started) return [];
  const key = logKey(name, service);
  try {
    const text = await input.core.readNamespacedPodLog({
      name,
      namespace: input.namespace,
      container: service,
      timestamps: true,
      tailLines: input.logTailLines,
    });
    const { lines, cursor } = linesAfter(text, input.memory.logCursors.get(key), service);
    if (cursor !== undefined) input.memory.logCursors.set(key, cursor);
    return lines;
  } catch (error) {
    input.log.debug("kubernetes pod log not readable", {
      namespace: input.namespace,
      pod: name,
      reason: reasonOf(error),
    });
    return [];
  }
}
