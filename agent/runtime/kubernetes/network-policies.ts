import type { V1NetworkPolicy, V1NetworkPolicyPort } from "@kubernetes/client-node";
import type { WorkloadService } from "../runtime";
import { distinctPorts, exposureOf } from "./exposure-objects";
import { globalPolicyName } from "./names";

export interface PolicyContext {
  namespace: string;
  labels: Record<string, string>;
  /** Selects one service's pods. */
  selectorOf: (service: WorkloadService) => Record<string, string>;
  ingressControllerNamespace: string;
}

/**
 * Leases are isolated from each other: nothing reaches a lease's pods but its own pods, the ingress
 * controller (on the HTTP ports) and anyone on the NodePort ports. NetworkPolicies add up, so
 * the first denies all ingress and the others each open one path. Egress stays open, as on Akash:
 * workloads download models and images.
 */
export function networkPolicies(services: WorkloadService[], context: PolicyContext): V1NetworkPolicy[] {
  const policy = (name: string, spec: V1NetworkPolicy["spec"]): V1NetworkPolicy => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name, namespace: context.namespace, labels: context.labels },
    spec,
  });
  const policies = [
    policy("default-deny-ingress", { podSelector: {}, policyTypes: ["Ingress"] }),
    policy("allow-same-namespace", {
      podSelector: {},
      policyTypes: ["Ingress"],
      ingress: [{ _from: [{ podSelector: {} }] }],
    }),
  ];
  for (const service of services) {
    const ingress = globalIngressRules(service, context.ingressControllerNamespace);
    if (ingress.length === 0) continue;
    policies.push(
      policy(globalPolicyName(service.name), {
        podSelector: { matchLabels: context.selectorOf(service) },
        policyTypes: ["Ingress"],
        ingress,
      }),
    );
  }
  return policies;
}

/**
 * The ports of a service that the world may reach. HTTP ports only from the ingress controller's
 * namespace. NodePort traffic arrives from any address (and, after the node's SNAT, from a node's
 * own address), so those ports are open to all: they are public anyway.
 */
function globalIngressRules(
  service: WorkloadService,
  ingressControllerNamespace: string,
): NonNullable<V1NetworkPolicy["spec"]>["ingress"] & object {
  const ports = distinctPorts(service);
  const policyPort = (port: (typeof ports)[number]): V1NetworkPolicyPort => ({
    port: port.port,
    protocol: port.proto,
  });
  const viaIngress = ports.filter((port) => exposureOf(port) === "ingress").map(policyPort);
  const viaNodePort = ports.filter((port) => exposureOf(port) === "node-port").map(policyPort);
  const rules = [];
  if (viaIngress.length > 0) {
    rules.push({
      _from: [
        { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ingressControllerNamespace } } },
      ],
      ports: viaIngress,
    });
  }
  if (viaNodePort.length > 0) rules.push({ _from: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: viaNodePort });
  return rules;
}
