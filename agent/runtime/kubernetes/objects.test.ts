import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { leaseShortName } from "./names";
import { applyOrder, buildLeaseObjects } from "./objects";
import { leaseWorkload, testOptions, workloadPort, workloadService } from "./workload-factory";

const options = testOptions({ ingressClass: "nginx" });
const LEASE = leaseWorkload().leaseId;
const NAMESPACE = `bidcloud-lease-${LEASE}`;

function build(...services: Parameters<typeof workloadService>[0][]) {
  return buildLeaseObjects(
    leaseWorkload({ services: services.map((service) => workloadService(service)) }),
    options,
  );
}

function validationPath(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof AppError && error.code === "VALIDATION") return error.fields?.[0]?.path;
    throw error;
  }
  return undefined;
}

describe("buildLeaseObjects", () => {
  it("puts the lease in its own namespace, labelled with the lease and deployment and exact ids in annotations", () => {
    const { namespace } = build({});
    expect(namespace.metadata?.name).toBe(NAMESPACE);
    expect(namespace.metadata?.labels).toMatchObject({
      "app.kubernetes.io/managed-by": "bidcloud-agent",
      "bidcloud.io/lease": LEASE,
      "bidcloud.io/deployment": leaseWorkload().deploymentId,
      "pod-security.kubernetes.io/enforce": "baseline",
    });
    expect(namespace.metadata?.annotations?.["bidcloud.io/lease-id"]).toBe(LEASE);
  });

  it("runs each service as a Deployment of `count` replicas holding exactly the lease's resources", () => {
    const [deployment] = build({ count: 3 }).deployments;
    const spec = deployment?.spec;
    const container = spec?.template.spec?.containers[0];
    expect(spec?.replicas).toBe(3);
    expect(spec?.strategy?.type).toBe("Recreate");
    expect(container?.image).toBe("vllm/vllm-openai:v0.8.4");
    expect(container?.command).toEqual(["bash", "-c"]);
    expect(container?.args).toEqual(["vllm serve model --port 8080"]);
    expect(container?.env).toEqual([
      { name: "HF_TOKEN", value: "secret=with=equals" },
      { name: "EMPTY", value: "" },
    ]);
    const amounts = { cpu: "6000m", memory: "34359738368", "ephemeral-storage": "107374182400" };
    expect(container?.resources?.requests).toEqual(amounts);
    expect(container?.resources?.limits).toEqual({ ...amounts, "nvidia.com/gpu": "1" });
    expect(spec?.template.spec?.automountServiceAccountToken).toBe(false);
  });

  it("requires a node whose GPU label is one of the accepted models' configured values", () => {
    const [deployment] = build({}).deployments;
    const terms =
      deployment?.spec?.template.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
        ?.nodeSelectorTerms;
    expect(terms).toEqual([
      {
        matchExpressions: [
          {
            key: "nvidia.com/gpu.product",
            operator: "In",
            values: ["NVIDIA-H100-80GB-HBM3", "NVIDIA-H100-PCIe", "NVIDIA-A100-SXM4-80GB"],
          },
        ],
      },
    ]);
    expect(deployment?.spec?.template.spec?.tolerations).toEqual([
      { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
    ]);
  });

  it("asks any GPU node when no model is named, and no GPU at all for a CPU service", () => {
    const anyGpu = build({
      resources: { ...workloadService().resources, gpu: { units: 2, models: [], vendor: "nvidia" } },
    }).deployments[0]?.spec?.template.spec;
    expect(anyGpu?.affinity).toBeUndefined();
    expect(anyGpu?.containers[0]?.resources?.limits?.["nvidia.com/gpu"]).toBe("2");

    const cpuOnly = build({
      resources: { ...workloadService().resources, gpu: { units: 0, models: [], vendor: null } },
    }).deployments[0]?.spec?.template.spec;
    expect(cpuOnly?.containers[0]?.resources?.limits).not.toHaveProperty("nvidia.com/gpu");
    expect(cpuOnly?.affinity).toBeUndefined();
    expect(cpuOnly?.tolerations).toBeUndefined();
  });

  it("refuses a service that accepts only GPU models the provider has not mapped to node labels", () => {
    const workload = leaseWorkload({
      services: [
        workloadService({
          resources: { ...workloadService().resources, gpu: { units: 1, models: ["mi300x"], vendor: "amd" } },
        }),
      ],
    });
    expect(validationPath(() => buildLeaseObjects(workload, options))).toBe(
      "services[0].resources.gpu.models",
    );
  });

  it("probes readiness on the first exposed TCP port", () => {
    const [deployment] = build({
      expose: [
        workloadPort({ port: 5353, proto: "UDP" }),
        workloadPort({ port: 8000 }),
        workloadPort({ port: 9000 }),
      ],
    }).deployments;
    expect(deployment?.spec?.template.spec?.containers[0]?.readinessProbe?.tcpSocket?.port).toBe(8000);
  });

  it("serves an HTTP port (asked as 80 or left to the provider) through the Ingress on the lease's own host", () => {
    const objects = build({
      expose: [workloadPort({ port: 8080, externalPort: 80 }), workloadPort({ port: 3000, externalPort: 0 })],
    });
    const [ingress] = objects.ingresses;
    const short = leaseShortName(LEASE);
    expect(ingress?.spec?.ingressClassName).toBe("nginx");
    expect(
      ingress?.spec?.rules?.map((rule) => [rule.host, rule.http?.paths[0]?.backend.service?.port?.number]),
    ).toEqual([
      [`${short}-web-8080.ingress.provider.example`, 8080],
      [`${short}-web-3000.ingress.provider.example`, 3000],
    ]);
    expect(objects.services.map((service) => [service.metadata?.name, service.spec?.type])).toEqual([
      ["web", "ClusterIP"],
    ]);
  });

  it("gives other global ports a NodePort Service and keeps internal ports inside the lease", () => {
    const objects = build({
      expose: [
        workloadPort({ port: 8000, externalPort: 8000 }),
        workloadPort({ port: 9000, externalPort: 9000, proto: "UDP" }),
        workloadPort({ port: 6379, externalPort: 0, global: false }),
      ],
    });
    expect(objects.ingresses).toEqual([]);
    const [cluster, nodePort] = objects.services;
    expect(cluster?.spec?.ports?.map((port) => port.port)).toEqual([8000, 9000, 6379]);
    expect(nodePort?.metadata?.name).toBe("web-np");
    expect(nodePort?.spec?.type).toBe("NodePort");
    expect(nodePort?.spec?.ports?.map((port) => [port.port, port.protocol])).toEqual([
      [8000, "TCP"],
      [9000, "UDP"],
    ]);
  });

  it("routes the tenant's own hosts to the same backend, but never a host under the provider's domain", () => {
    const [ingress] = build({ expose: [workloadPort({ hosts: ["chat.tenant.example"] })] }).ingresses;
    expect(ingress?.spec?.rules?.map((rule) => rule.host)).toContain("chat.tenant.example");

    const stolen = leaseWorkload({
      services: [
        workloadService({ expose: [workloadPort({ hosts: ["abc-web-8080.ingress.provider.example"] })] }),
      ],
    });
    expect(validationPath(() => buildLeaseObjects(stolen, options))).toBe("services[0].expose[0].hosts[0]");
  });

  it("isolates the lease: deny all ingress, allow the namespace, open global ports to the ingress controller or the world", () => {
    const objects = build(
      {
        name: "api",
        expose: [workloadPort({ port: 8080 }), workloadPort({ port: 7000, externalPort: 7000 })],
      },
      { name: "db", expose: [workloadPort({ port: 5432, global: false })] },
    );
    const byName = new Map(objects.networkPolicies.map((policy) => [policy.metadata?.name, policy.spec]));
    expect([...byName.keys()]).toEqual(["default-deny-ingress", "allow-same-namespace", "api-global"]);
    expect(byName.get("default-deny-ingress")).toEqual({ podSelector: {}, policyTypes: ["Ingress"] });
    expect(byName.get("allow-same-namespace")?.ingress).toEqual([{ _from: [{ podSelector: {} }] }]);
    const global = byName.get("api-global");
    expect(global?.podSelector?.matchLabels).toEqual({
      "bidcloud.io/lease": LEASE,
      "bidcloud.io/service": "api",
    });
    expect(global?.ingress).toEqual([
      {
        _from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }],
        ports: [{ port: 8080, protocol: "TCP" }],
      },
      { _from: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: 7000, protocol: "TCP" }] },
    ]);
  });

  it("applies the namespace first and the network policies before any pod", () => {
    const kinds = applyOrder(build({})).map((object) => object.kind);
    expect(kinds[0]).toBe("Namespace");
    expect(kinds.lastIndexOf("NetworkPolicy")).toBeLessThan(kinds.indexOf("Deployment"));
    expect(kinds).toEqual([
      "Namespace",
      "NetworkPolicy",
      "NetworkPolicy",
      "NetworkPolicy",
      "Service",
      "Ingress",
      "Deployment",
    ]);
  });

  it.each([
    ["Web", "services[0].name"],
    ["9lives", "services[0].name"],
    ["a".repeat(64), "services[0].name"],
    ["web-", "services[0].name"],
  ])("refuses the service name %j, which Kubernetes would not take", (name, path) => {
    expect(validationPath(() => build({ name }))).toBe(path);
  });

  it("refuses two services of one name, a count of 0 and a port out of range", () => {
    expect(validationPath(() => build({ name: "web" }, { name: "web" }))).toBe("services[1].name");
    expect(validationPath(() => build({ count: 0 }))).toBe("services[0].count");
    expect(validationPath(() => build({ expose: [workloadPort({ port: 70_000 })] }))).toBe(
      "services[0].expose[0].port",
    );
  });
});
