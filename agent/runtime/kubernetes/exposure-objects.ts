import type { V1Ingress, V1IngressRule, V1Service, V1ServicePort } from "@kubernetes/client-node";
import type { WorkloadPort, WorkloadService } from "../runtime";
import { ingressHostLabel, nodePortServiceName, portName } from "./names";
import type { ResolvedOptions } from "./options";

/**
 * How a port is reached, following Akash's provider: a global TCP port asked for as 80 (or left
 * to the provider, 0) is HTTP and goes through the Ingress under its own host name; any other
 * global port gets a NodePort; a port that is not global is reachable only inside the lease.
 */
export type Exposure = "ingress" | "node-port" | "internal";

export function exposureOf(port: WorkloadPort): Exposure {
  if (!port.global) return "internal";
  if (port.proto === "TCP" && (port.externalPort === 80 || port.externalPort === 0)) return "ingress";
  return "node-port";
}

/** A service's ports, each once; a port is global if any of its manifest entries is. */
export function distinctPorts(service: WorkloadService): WorkloadPort[] {
  const byKey = new Map<string, WorkloadPort>();
  for (const port of service.expose) {
    const key = `${port.port}/${port.proto}/${exposureOf(port)}`;
    const known = byKey.get(key);
    if (known) byKey.set(key, { ...known, hosts: [...new Set([...known.hosts, ...port.hosts])] });
    else byKey.set(key, port);
  }
  return [...byKey.values()];
}

export interface ExposureContext {
  namespace: string;
  leaseId: string;
  labels: Record<string, string>;
  selector: Record<string, string>;
  options: ResolvedOptions;
}

function servicePort(port: WorkloadPort): V1ServicePort {
  return {
    name: portName(port.port, port.proto),
    port: port.port,
    targetPort: port.port,
    protocol: port.proto,
  };
}

/**
 * The ClusterIP Service, named as the service, so the lease's other services reach it by name on
 * its container ports (as on Akash); the Ingress points at it too.
 */
export function clusterService(service: WorkloadService, context: ExposureContext): V1Service | null {
  const seen = new Map<string, V1ServicePort>();
  for (const port of service.expose) seen.set(portName(port.port, port.proto), servicePort(port));
  if (seen.size === 0) return null;
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: service.name, namespace: context.namespace, labels: context.labels },
    spec: { type: "ClusterIP", selector: context.selector, ports: [...seen.values()] },
  };
}

/** The NodePort Service for global ports that are not HTTP: the cluster picks each node port. */
export function nodePortService(service: WorkloadService, context: ExposureContext): V1Service | null {
  const ports = distinctPorts(service).filter((port) => exposureOf(port) === "node-port");
  if (ports.length === 0) return null;
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: nodePortServiceName(service.name),
      namespace: context.namespace,
      labels: context.labels,
    },
    spec: { type: "NodePort", selector: context.selector, ports: ports.map(servicePort) },
  };
}

/** The provider's host for one HTTP port of a lease's service. */
export function providerHost(leaseId: string, service: string, port: number, ingressDomain: string): string {
  return `${ingressHostLabel(leaseId, service, port)}.${ingressDomain}`;
}

/** One Ingress per service with HTTP ports: the provider's host of each port, then the tenant's own hosts. */
export function ingressObject(service: WorkloadService, context: ExposureContext): V1Ingress | null {
  const ports = distinctPorts(service).filter((port) => exposureOf(port) === "ingress");
  if (ports.length === 0) return null;
  const rules: V1IngressRule[] = [];
  const taken = new Set<string>();
  for (const port of ports) {
    const hosts = [
      providerHost(context.leaseId, service.name, port.port, context.options.ingressDomain),
      ...port.hosts,
    ];
    for (const host of hosts) {
      // A tenant host named on two ports goes to the first: one host has one backend.
      if (taken.has(host)) continue;
      taken.add(host);
      rules.push({
        host,
        http: {
          paths: [
            {
              path: "/",
              pathType: "Prefix",
              backend: { service: { name: service.name, port: { number: port.port } } },
            },
          ],
        },
      });
    }
  }
  const ingressClass = context.options.ingressClass;
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: { name: service.name, namespace: context.namespace, labels: context.labels },
    spec: { ...(ingressClass ? { ingressClassName: ingressClass } : {}), rules },
  };
}
