import type { V1Ingress, V1Service } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { serviceUris } from "./service-uris";

const ingress: V1Ingress = {
  spec: {
    rules: [
      { host: "abc-web-8080.ingress.provider.example", http: { paths: [backend("web", 8080)] } },
      { host: "chat.tenant.example", http: { paths: [backend("web", 8080)] } },
    ],
  },
};

function backend(name: string, number: number) {
  return { path: "/", pathType: "Prefix", backend: { service: { name, port: { number } } } };
}

const nodePort: V1Service = {
  metadata: { name: "db-np", labels: { "bidcloud.io/service": "db" } },
  spec: {
    type: "NodePort",
    ports: [
      { port: 5432, protocol: "TCP", nodePort: 31_000 },
      { port: 5353, protocol: "UDP", nodePort: 31_001 },
    ],
  },
};

describe("serviceUris", () => {
  it("reports the provider's Ingress hosts and the TCP node ports, not the tenant's own hosts", () => {
    const uris = serviceUris([ingress], [nodePort], {
      ingressDomain: "ingress.provider.example",
      nodePortHost: "nodes.provider.example",
    });
    expect(Object.fromEntries(uris)).toEqual({
      web: ["http://abc-web-8080.ingress.provider.example"],
      db: ["http://nodes.provider.example:31000"],
    });
  });

  it("reports no node port without a host that reaches the nodes", () => {
    const uris = serviceUris([], [nodePort], {
      ingressDomain: "ingress.provider.example",
      nodePortHost: null,
    });
    expect(uris.size).toBe(0);
  });
});
