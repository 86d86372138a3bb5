import type { V1Affinity, V1Container, V1Deployment, V1EnvVar, V1Toleration } from "@kubernetes/client-node";
import type { WorkloadService } from "../runtime";
import { portName } from "./names";
import type { ResolvedOptions } from "./options";

export interface DeploymentContext {
  namespace: string;
  labels: Record<string, string>;
  selector: Record<string, string>;
  /** Label values of the nodes whose GPU the service accepts; empty: any node with the GPU resource. */
  gpuNodeValues: readonly string[];
  options: ResolvedOptions;
}

/** One Deployment per service: `count` replicas of one container, holding exactly what the lease bought. */
export function deploymentObject(service: WorkloadService, context: DeploymentContext): V1Deployment {
  const { namespace, labels, selector } = context;
  const affinity = gpuAffinity(service, context);
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: service.name, namespace, labels },
    spec: {
      replicas: service.count,
      selector: { matchLabels: selector },
      // A rolling update starts the new pod before the old one stops: it would need a second set of
      // the lease's resources (a second GPU) that the lease did not buy and the node may not have.
      strategy: { type: "Recreate" },
      revisionHistoryLimit: 2,
      template: {
        metadata: { labels },
        spec: {
          containers: [container(service, context.options)],
          // Tenant code gets no credentials to the provider's cluster, and no environment
          // variables naming the namespace's other Services (Akash turns them off as well).
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          ...(affinity ? { affinity } : {}),
          ...(service.resources.gpu.units > 0 ? { tolerations: gpuTolerations(context.options) } : {}),
        },
      },
    },
  };
}

function container(service: WorkloadService, options: ResolvedOptions): V1Container {
  const { resources } = service;
  const amounts: Record<string, string> = {
    cpu: `${resources.cpuMillicores}m`,
    memory: resources.memoryBytes.toString(),
  };
  if (resources.storageBytes > 0n) amounts["ephemeral-storage"] = resources.storageBytes.toString();
  const ports = uniquePorts(service);
  const probePort = ports.find((port) => port.protocol === "TCP");
  return {
    name: service.name,
    image: service.image,
    ...(service.command && service.command.length > 0 ? { command: service.command } : {}),
    ...(service.args && service.args.length > 0 ? { args: service.args } : {}),
    env: service.env.map(envVar),
    // Requests equal limits: the pod is Guaranteed and the node reserves what the lease pays for.
    // GPUs are an extended resource: a limit alone requests the same number.
    resources: {
      requests: { ...amounts },
      limits:
        resources.gpu.units > 0
          ? { ...amounts, [options.gpuResource]: String(resources.gpu.units) }
          : amounts,
    },
    ...(ports.length > 0 ? { ports } : {}),
    ...(probePort
      ? {
          // Ready means listening. A failing probe keeps the pod out of its Service, it does not restart it,
          // so a model that takes minutes to load is not killed for it.
          readinessProbe: {
            tcpSocket: { port: probePort.containerPort },
            periodSeconds: 10,
            failureThreshold: 3,
          },
        }
      : {}),
  };
}

function uniquePorts(
  service: WorkloadService,
): Array<{ name: string; containerPort: number; protocol: "TCP" | "UDP" }> {
  const seen = new Map<string, { name: string; containerPort: number; protocol: "TCP" | "UDP" }>();
  for (const expose of service.expose) {
    const name = portName(expose.port, expose.proto);
    if (!seen.has(name)) seen.set(name, { name, containerPort: expose.port, protocol: expose.proto });
  }
  return [...seen.values()];
}

/** "NAME=value" as in the manifest; an entry without "=" is a variable set to "". */
export function envVar(entry: string): V1EnvVar {
  const equals = entry.indexOf("=");
  return equals < 0
    ? { name: entry, value: "" }
    : { name: entry.slice(0, equals), value: entry.slice(equals + 1) };
}

function gpuAffinity(service: WorkloadService, context: DeploymentContext): V1Affinity | null {
  if (service.resources.gpu.units === 0 || context.gpuNodeValues.length === 0) return null;
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [
          {
            matchExpressions: [
              { key: context.options.gpuNodeLabel, operator: "In", values: [...context.gpuNodeValues] },
            ],
          },
        ],
      },
    },
  };
}

/** GPU nodes are often tainted so that only pods asking for a GPU land there. */
function gpuTolerations(options: ResolvedOptions): V1Toleration[] {
  return [{ key: options.gpuResource, operator: "Exists", effect: "NoSchedule" }];
}
