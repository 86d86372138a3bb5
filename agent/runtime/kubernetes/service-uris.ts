import type { V1Ingress, V1Service } from "@kubernetes/client-node";
import { MAX_URIS_PER_SERVICE } from "@/lib/verify/protocol";
import { LABELS } from "./names";

export interface UriSettings {
  ingressDomain: string;
  nodePortHost: string | null;
}

/**
 * Where each service is reachable from outside, read back from the cluster (node ports are
 * chosen by the API server): the provider's Ingress hosts, then `http://<nodePortHost>:<port>`
 * for TCP node ports. A tenant's own hosts are not reported: the provider cannot vouch for
 * their DNS, and the verifier probes every URI it is given.
 */
export function serviceUris(
  ingresses: readonly V1Ingress[],
  services: readonly V1Service[],
  settings: UriSettings,
): Map<string, string[]> {
  const uris = new Map<string, string[]>();
  const add = (service: string | undefined, uri: string) => {
    if (!service) return;
    const list = uris.get(service) ?? [];
    if (!list.includes(uri) && list.length < MAX_URIS_PER_SERVICE) list.push(uri);
    uris.set(service, list);
  };
  for (const ingress of ingresses) {
    for (const rule of ingress.spec?.rules ?? []) {
      const host = rule.host;
      if (!host?.endsWith(`.${settings.ingressDomain}`)) continue;
      for (const path of rule.http?.paths ?? []) add(path.backend.service?.name, `http://${host}`);
    }
  }
  if (settings.nodePortHost) {
    for (const service of services) {
      if (service.spec?.type !== "NodePort") continue;
      for (const port of service.spec.ports ?? []) {
        if (port.nodePort && (port.protocol ?? "TCP") === "TCP") {
          add(service.metadata?.labels?.[LABELS.service], `http://${settings.nodePortHost}:${port.nodePort}`);
        }
      }
    }
  }
  return uris;
}
