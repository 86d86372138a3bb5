import { dumpYaml, type KubernetesObject } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { schemaViolations } from "@/tests/support/kube-apiserver-double";
import { applyOrder, buildLeaseObjects } from "./objects";
import { leaseWorkload, testOptions, workloadPort, workloadService } from "./workload-factory";

/**
 * Every object the runtime applies, in the JSON it goes over the wire as (client-node's serializer
 * renames model fields such as `_from` to `from`), checked against the OpenAPI schema Kubernetes
 * publishes for its kind (through the kubernetes-models package).
 */
function wireForm(object: KubernetesObject): Record<string, unknown> {
  return parse(dumpYaml(object)) as Record<string, unknown>;
}

const WORKLOADS = {
  "one GPU service behind the Ingress": leaseWorkload(),
  "several services, NodePort, UDP, internal ports, tenant hosts, any GPU": leaseWorkload({
    services: [
      workloadService({
        name: "api",
        count: 2,
        expose: [
          workloadPort({ port: 8080, hosts: ["api.tenant.example"] }),
          workloadPort({ port: 8000, externalPort: 8000 }),
          workloadPort({ port: 5353, externalPort: 5353, proto: "UDP" }),
        ],
        resources: { ...workloadService().resources, gpu: { units: 8, models: [], vendor: "nvidia" } },
      }),
      workloadService({
        name: "redis",
        image: "redis:7",
        command: null,
        args: null,
        env: [],
        expose: [workloadPort({ port: 6379, global: false, service: "api" })],
        resources: {
          cpuMillicores: 500,
          memoryBytes: 536_870_912n,
          storageBytes: 0n,
          gpu: { units: 0, models: [], vendor: null },
        },
      }),
      workloadService({ name: "worker", expose: [] }),
    ],
  }),
};

describe("generated objects against Kubernetes' published schemas", () => {
  for (const [title, workload] of Object.entries(WORKLOADS)) {
    it(`conforms: ${title}`, () => {
      const objects = applyOrder(buildLeaseObjects(workload, testOptions({ ingressClass: "nginx" })));
      expect(objects.length).toBeGreaterThan(5);
      for (const object of objects) {
        expect(schemaViolations(wireForm(object)), `${object.kind} ${object.metadata?.name}`).toEqual([]);
      }
    });
  }

  it("sends a NetworkPolicy's peers as `from`, the field the schema knows", () => {
    const policy = buildLeaseObjects(leaseWorkload(), testOptions()).networkPolicies[1];
    const wire = wireForm(policy ?? {}) as { spec: { ingress: Array<Record<string, unknown>> } };
    expect(Object.keys(wire.spec.ingress[0] ?? {})).toEqual(["from"]);
  });
});

/** The wire form of `object` with the field at `path` set to `value`, or removed when `value` is undefined. */
function withField(object: KubernetesObject | undefined, path: Array<string | number>, value: unknown) {
  const wire = wireForm(object ?? {});
  let node = wire as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] ?? "";
  if (value === undefined) delete node[last];
  else node[last] = value;
  return wire;
}

describe("the schema check bites", () => {
  const objects = buildLeaseObjects(leaseWorkload(), testOptions());
  const [deployment] = objects.deployments;
  const container = ["spec", "template", "spec", "containers", 0];

  it("rejects replicas that are not an integer", () => {
    expect(schemaViolations(withField(deployment, ["spec", "replicas"], "two"))).toEqual([
      "/spec/replicas must be integer",
    ]);
  });

  it("rejects a container without a name, and a container port given as text", () => {
    expect(schemaViolations(withField(deployment, [...container, "name"], undefined))).toEqual([
      "/spec/template/spec/containers/0 must have required property name",
    ]);
    expect(
      schemaViolations(withField(deployment, [...container, "ports", 0, "containerPort"], "8080")),
    ).toEqual(["/spec/template/spec/containers/0/ports/0/containerPort must be integer"]);
  });

  it("rejects a Deployment without a selector and an Ingress path without a pathType", () => {
    expect(schemaViolations(withField(deployment, ["spec", "selector"], undefined))).toEqual([
      "/spec must have required property selector",
    ]);
    const path = ["spec", "rules", 0, "http", "paths", 0, "pathType"];
    expect(schemaViolations(withField(objects.ingresses[0], path, undefined))).toEqual([
      "/spec/rules/0/http/paths/0 must have required property pathType",
    ]);
  });

  it("rejects a NetworkPolicy whose policy types are not a list, and a Service port that is not a number", () => {
    expect(
      schemaViolations(withField(objects.networkPolicies[0], ["spec", "policyTypes"], "Ingress")),
    ).toEqual(["/spec/policyTypes must be array"]);
    expect(schemaViolations(withField(objects.services[0], ["spec", "ports", 0, "port"], "http"))).toEqual([
      "/spec/ports/0/port must be integer",
    ]);
  });
});
