import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Manifest } from "@akashnetwork/chain-sdk/web";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { LeaseWorkload, Runtime, WorkloadService } from "@/agent/runtime/runtime";
import { createKubernetesRuntime, namespaceName } from "@/agent/runtime/kubernetes";
import { leaseShortName } from "@/agent/runtime/kubernetes/names";
import { checkSdl } from "@/lib/sdl/check-sdl";
import { TEMPLATES } from "@/lib/sdl/templates";
import { LogLineSchema, ServiceReportSchema, WorkloadEventSchema } from "@/lib/verify/protocol";
import { KubeApiServerDouble, schemaViolations } from "@/tests/support/kube-apiserver-double";

/**
 * The Kubernetes runtime against an API-server double (no cluster runs on our machines), with
 * workloads made from the SDL templates by Akash's own manifest code.
 */

const TOKEN = "test-bearer-token";
const INGRESS_DOMAIN = "ingress.provider.example";
const GPU_MODELS = {
  h100: "NVIDIA-H100-80GB-HBM3",
  a100: ["NVIDIA-A100-SXM4-80GB", "NVIDIA-A100-PCIE-40GB"],
  l40s: "NVIDIA-L40S",
  rtx4090: "NVIDIA-GeForce-RTX-4090",
};

let double: KubeApiServerDouble;
let runtime: Runtime;

beforeEach(async () => {
  double = await KubeApiServerDouble.start({ token: TOKEN, readyDelayMs: 150, terminationDelayMs: 100 });
  runtime = await createKubernetesRuntime({
    cluster: { server: double.url, token: TOKEN },
    ingressDomain: INGRESS_DOMAIN,
    nodePortHost: "nodes.provider.example",
    gpuModels: GPU_MODELS,
  });
});

afterEach(async () => {
  await runtime.close();
  await double.close();
});

// --- Fixtures: a template's manifest group as the lease's workload ---------------------------------

const decoder = new TextDecoder();
const quantity = (value: { val: Uint8Array } | undefined) => decoder.decode(value?.val ?? new Uint8Array());

function workloadService(service: Manifest[number]["services"][number]): WorkloadService {
  const { resources } = service;
  if (!resources) throw new Error(`service ${service.name} has no resources`);
  const gpuModels = (resources.gpu?.attributes ?? []).flatMap((attribute) => {
    const match = /^vendor\/([^/]+)\/model\/([^/]+)/.exec(attribute.key);
    return match?.[2] ? [match[2]] : [];
  });
  const diskStorage = resources.storage.filter(
    (volume) =>
      !volume.attributes.some((attribute) => attribute.key === "class" && attribute.value === "ram"),
  );
  return {
    name: service.name,
    image: service.image,
    command: service.command ?? null,
    args: service.args ?? null,
    env: service.env ?? [],
    count: service.count,
    resources: {
      cpuMillicores: Number(quantity(resources.cpu?.units)),
      memoryBytes: BigInt(quantity(resources.memory?.quantity)),
      storageBytes: diskStorage.reduce((sum, volume) => sum + BigInt(quantity(volume.quantity)), 0n),
      gpu: {
        units: Number(quantity(resources.gpu?.units) || "0"),
        models: [...new Set(gpuModels)],
        vendor: /^vendor\/([^/]+)/.exec(resources.gpu?.attributes[0]?.key ?? "")?.[1] ?? null,
      },
    },
    expose: service.expose.map((expose) => ({
      port: expose.port,
      externalPort: expose.externalPort,
      proto: expose.proto === "UDP" ? "UDP" : "TCP",
      global: expose.global,
      hosts: expose.hosts ?? [],
      service: expose.service,
    })),
  };
}

async function templateWorkload(slug: string, leaseId: string): Promise<LeaseWorkload> {
  const template = TEMPLATES.find((candidate) => candidate.slug.startsWith(slug));
  if (!template) throw new Error(`no template ${slug}`);
  const checked = await checkSdl(template.sdl, { aktPriceMicroUsd: 1_000_000n });
  if (!checked.valid) throw new Error(`template ${slug} is invalid: ${JSON.stringify(checked.errors)}`);
  const [group] = checked.manifest;
  if (!group) throw new Error(`template ${slug} has no group`);
  return {
    leaseId,
    deploymentId: `0197a3c1-0000-7000-8000-${leaseId.slice(-12)}`,
    groupName: group.name,
    manifestVersion: checked.manifestVersion,
    services: group.services.map(workloadService),
  };
}

const LEASE = "0197a3c2-5d1e-7c3a-9f00-00000000c0f1";
const NAMESPACE = namespaceName(LEASE, "bidcloud-lease-");

function applyRequests() {
  return double.requests.filter((request) => request.method === "PATCH");
}

async function waitUntilReady(leaseId: string) {
  await vi.waitFor(
    async () => {
      const reports = await runtime.status(leaseId);
      expect(reports.length).toBeGreaterThan(0);
      expect(reports.every((report) => report.ready)).toBe(true);
    },
    { timeout: 5_000, interval: 20 },
  );
}

// --- The runtime ---------------------------------------------------------------------------------

describe("kubernetes runtime against the API-server double", () => {
  it("applies a template's workload by server-side apply, namespace first, and sees it turn ready through the watch", async () => {
    const workload = await templateWorkload("comfyui", LEASE);
    await runtime.deploy(workload);

    const applies = applyRequests();
    for (const request of applies) {
      expect(request.contentType).toBe("application/apply-patch+yaml");
      expect(request.query).toMatchObject({ fieldManager: "bidcloud-agent", force: "true" });
      expect(schemaViolations(request.body as { apiVersion: string; kind: string })).toEqual([]);
    }
    expect(applies.map((request) => (request.body as { kind: string }).kind)).toEqual([
      "Namespace",
      "NetworkPolicy",
      "NetworkPolicy",
      "NetworkPolicy",
      "Service",
      "Ingress",
      "Deployment",
    ]);
    expect(applies[0]?.path).toBe(`/api/v1/namespaces/${NAMESPACE}`);
    expect(applies.at(-1)?.path).toBe(`/apis/apps/v1/namespaces/${NAMESPACE}/deployments/comfyui`);

    const deployed = double.requests.length;
    const host = `http://${leaseShortName(LEASE)}-comfyui-8080.${INGRESS_DOMAIN}`;
    const first = await runtime.status(LEASE);
    expect(first).toEqual([{ name: "comfyui", ready: false, replicas: 1, readyReplicas: 0, uris: [host] }]);

    await waitUntilReady(LEASE);
    const ready = await runtime.status(LEASE);
    expect(ready).toEqual([{ name: "comfyui", ready: true, replicas: 1, readyReplicas: 1, uris: [host] }]);
    for (const report of ready) ServiceReportSchema.parse(report);

    // Readiness came from the one watch opened at start, not from reading Deployments on each status call.
    const watches = double.requests.filter((request) => request.query.watch === "true");
    expect(watches.map((request) => request.path)).toEqual(["/apis/apps/v1/deployments"]);
    const readsSinceDeploy = double.requests
      .slice(deployed)
      .filter((request) => request.path.includes("/deployments"));
    expect(readsSinceDeploy).toEqual([]);
  });

  it("puts the pods on GPU nodes of an accepted model with the lease's resources", async () => {
    await runtime.deploy(await templateWorkload("vllm", LEASE));
    const deployment = double.find("apps/v1", "deployments", NAMESPACE, "vllm");
    const pod = deployment?.spec?.template as {
      spec: {
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: unknown } };
        containers: Array<{ resources: unknown }>;
      };
    };
    expect(pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual({
      nodeSelectorTerms: [
        {
          matchExpressions: [
            {
              key: "nvidia.com/gpu.product",
              operator: "In",
              values: [
                "NVIDIA-H100-80GB-HBM3",
                "NVIDIA-A100-SXM4-80GB",
                "NVIDIA-A100-PCIE-40GB",
                "NVIDIA-L40S",
              ],
            },
          ],
        },
      ],
    });
    const amounts = { cpu: "8000m", memory: "34359738368", "ephemeral-storage": "107374182400" };
    expect(pod.spec.containers[0]?.resources).toEqual({
      requests: amounts,
      limits: { ...amounts, "nvidia.com/gpu": "1" },
    });
  });

  it("drains the namespace's events and the containers' log lines, each once", async () => {
    const workload = await templateWorkload("comfyui", LEASE);
    await runtime.deploy(workload);
    await waitUntilReady(LEASE);

    const first = await runtime.drain(LEASE);
    for (const event of first.events) WorkloadEventSchema.parse(event);
    for (const line of first.logs) LogLineSchema.parse(line);
    expect(first.events.map((event) => [event.type, event.reason, event.service])).toEqual(
      expect.arrayContaining([
        ["normal", "ScalingReplicaSet", "comfyui"],
        ["normal", "Scheduled", "comfyui"],
        ["normal", "Started", "comfyui"],
      ]),
    );
    const image = workload.services[0]?.image ?? "";
    expect(first.logs.map((line) => [line.service, line.line])).toEqual([
      ["comfyui", `starting ${image}`],
      ["comfyui", "listening on port 8080"],
    ]);

    expect(await runtime.drain(LEASE)).toEqual({ events: [], logs: [] });

    double.writeLog(NAMESPACE, "comfyui-", "GET /queue 200");
    const third = await runtime.drain(LEASE);
    expect(third.events).toEqual([]);
    expect(third.logs.map((line) => line.line)).toEqual(["GET /queue 200"]);
  });

  it("tears the lease down by deleting its namespace: status reports nothing, and everything is gone once it terminates", async () => {
    await runtime.deploy(await templateWorkload("comfyui", LEASE));
    await waitUntilReady(LEASE);

    await runtime.teardown(LEASE);
    const deletes = double.requests.filter((request) => request.method === "DELETE");
    expect(deletes.map((request) => request.path)).toEqual([`/api/v1/namespaces/${NAMESPACE}`]);
    expect(double.find("v1", "namespaces", null, NAMESPACE)?.status).toEqual({ phase: "Terminating" });
    expect(await runtime.status(LEASE)).toEqual([]);

    await vi.waitFor(() => expect(double.find("v1", "namespaces", null, NAMESPACE)).toBeUndefined(), {
      timeout: 5_000,
      interval: 20,
    });
    expect(double.list("apps/v1", "deployments")).toEqual([]);
    expect(double.list("v1", "pods")).toEqual([]);
    expect(await runtime.status(LEASE)).toEqual([]);
    expect(await runtime.drain(LEASE)).toEqual({ events: [], logs: [] });

    // Again, for a lease whose namespace is already gone: nothing to do, no error.
    await expect(runtime.teardown(LEASE)).resolves.toBeUndefined();
  });

  it("converges without changing anything when the same workload is deployed again", async () => {
    const workload = await templateWorkload("comfyui", LEASE);
    await runtime.deploy(workload);
    await waitUntilReady(LEASE);
    const before = double.find("apps/v1", "deployments", NAMESPACE, "comfyui")?.metadata;
    const podsBefore = double.list("v1", "pods", NAMESPACE).map((pod) => pod.metadata.name);

    await runtime.deploy(workload);
    const after = double.find("apps/v1", "deployments", NAMESPACE, "comfyui")?.metadata;
    expect(after?.resourceVersion).toBe(before?.resourceVersion);
    expect(after?.generation).toBe(1);
    expect(double.list("v1", "pods", NAMESPACE).map((pod) => pod.metadata.name)).toEqual(podsBefore);
    expect(double.requests.filter((request) => request.method === "DELETE")).toEqual([]);
    expect((await runtime.status(LEASE))[0]?.ready).toBe(true);
  });

  it("converges to a changed manifest: a new image rolls out, a dropped service is removed", async () => {
    const workload = await templateWorkload("comfyui", LEASE);
    const [comfyui] = workload.services;
    if (!comfyui) throw new Error("template has no service");
    const sidecar: WorkloadService = { ...comfyui, name: "sidecar", image: "busybox:1.36" };
    await runtime.deploy({ ...workload, services: [comfyui, sidecar] });
    await waitUntilReady(LEASE);
    expect((await runtime.status(LEASE)).map((report) => report.name)).toEqual(["comfyui", "sidecar"]);

    await runtime.deploy({ ...workload, services: [{ ...comfyui, image: "ghcr.io/ai-dock/comfyui:v2" }] });
    const deleted = double.requests
      .filter((request) => request.method === "DELETE")
      .map((request) => request.path);
    expect(deleted).toEqual([
      `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/sidecar`,
      `/apis/networking.k8s.io/v1/namespaces/${NAMESPACE}/ingresses/sidecar`,
      `/api/v1/namespaces/${NAMESPACE}/services/sidecar`,
      `/apis/networking.k8s.io/v1/namespaces/${NAMESPACE}/networkpolicies/sidecar-global`,
    ]);
    expect(double.find("apps/v1", "deployments", NAMESPACE, "comfyui")?.metadata.generation).toBe(2);
    await vi.waitFor(async () =>
      expect((await runtime.status(LEASE)).map((report) => report.name)).toEqual(["comfyui"]),
    );
    await waitUntilReady(LEASE);
  });

  it("keeps a deployment that never passes its readiness probe not ready, and says why", async () => {
    double.setDeploymentBehavior("vllm", "never-ready");
    await runtime.deploy(await templateWorkload("vllm", LEASE));

    const warnings: string[] = [];
    await vi.waitFor(
      async () => {
        const { events } = await runtime.drain(LEASE);
        warnings.push(...events.filter((event) => event.type === "warning").map((event) => event.reason));
        expect(warnings).toContain("Unhealthy");
      },
      { timeout: 5_000, interval: 20 },
    );
    // The probe failed after the pods settled: they will not turn ready by themselves.
    const [report] = await runtime.status(LEASE);
    // vllm's port 8000 is asked as 8000, not 80: a NodePort, reported on the provider's node host.
    expect(report).toEqual({
      name: "vllm",
      ready: false,
      replicas: 1,
      readyReplicas: 0,
      uris: ["http://nodes.provider.example:30000"],
    });
  });

  it("reports a crash-looping container's back-off and its last words", async () => {
    double.setDeploymentBehavior("whisper", "crash");
    await runtime.deploy(await templateWorkload("whisper", LEASE));
    await vi.waitFor(
      async () => {
        const found = await runtime.drain(LEASE);
        expect(found.events.map((event) => event.reason)).toContain("BackOff");
        expect(found.logs.map((line) => line.line)).toContain(
          "fatal: CUDA error: no kernel image is available",
        );
      },
      { timeout: 5_000, interval: 50 },
    );
    expect((await runtime.status(LEASE))[0]?.ready).toBe(false);
  });

  const deploymentReads = () =>
    double.requests
      .filter((request) => request.path === "/apis/apps/v1/deployments")
      .map((request) => (request.query.watch ? `watch from ${request.query.resourceVersion}` : "list"));

  it("resumes its watch from the last resource version when the server ends it", async () => {
    await runtime.deploy(await templateWorkload("comfyui", LEASE));
    const seen = Number(
      double.find("apps/v1", "deployments", NAMESPACE, "comfyui")?.metadata.resourceVersion,
    );
    double.dropWatches();
    await waitUntilReady(LEASE);

    const [list, watch, resumed, ...rest] = deploymentReads();
    expect([list, watch]).toEqual(["list", "watch from 1"]);
    expect(Number(resumed?.replace("watch from ", ""))).toBeGreaterThanOrEqual(seen);
    expect(rest).toEqual([]);
  });

  it("lists again when the resource version to resume from has expired (410 Gone)", async () => {
    await runtime.deploy(await templateWorkload("comfyui", LEASE));
    double.dropWatches();
    double.expireHistory();
    await waitUntilReady(LEASE);

    const reads = deploymentReads();
    expect(reads.map((read) => read.replace(/\d+$/, "N"))).toEqual([
      "list",
      "watch from N",
      "watch from N",
      "list",
      "watch from N",
    ]);
  });

  it("lists the leases it holds namespaces for, across restarts, leaving out deleted ones and other prefixes", async () => {
    const other = "0197a3c2-5d1e-7c3a-9f00-00000000c0f4";
    const elsewhere = "0197a3c2-5d1e-7c3a-9f00-00000000c0f5";
    await runtime.deploy(await templateWorkload("comfyui", LEASE));
    await runtime.deploy(await templateWorkload("whisper", other));
    // Another provider's agent on the same cluster, with a prefix of its own.
    const neighbour = await createKubernetesRuntime({
      cluster: { server: double.url, token: TOKEN },
      ingressDomain: "ingress.neighbour.example",
      gpuModels: GPU_MODELS,
      namespacePrefix: "neighbour-",
    });
    try {
      await neighbour.deploy(await templateWorkload("whisper", elsewhere));
      expect(await neighbour.leaseIds()).toEqual([elsewhere]);
    } finally {
      await neighbour.close();
    }

    // A restarted agent's runtime knows nothing yet; the cluster tells it.
    const restarted = await createKubernetesRuntime({
      cluster: { server: double.url, token: TOKEN },
      ingressDomain: INGRESS_DOMAIN,
      gpuModels: GPU_MODELS,
    });
    try {
      expect((await restarted.leaseIds()).sort()).toEqual([LEASE, other].sort());
      // Deleted, whether still terminating or gone: no longer held.
      await runtime.teardown(other);
      expect(await restarted.leaseIds()).toEqual([LEASE]);
    } finally {
      await restarted.close();
    }
  });

  it("tears down every lease on close when asked to", async () => {
    const other = "0197a3c2-5d1e-7c3a-9f00-00000000c0f2";
    await runtime.deploy(await templateWorkload("comfyui", LEASE));
    await runtime.deploy(await templateWorkload("whisper", other));
    await runtime.close({ teardownAll: true });
    const deleted = double.requests
      .filter((request) => request.method === "DELETE")
      .map((request) => request.path);
    expect(deleted.sort()).toEqual(
      [
        `/api/v1/namespaces/${NAMESPACE}`,
        `/api/v1/namespaces/${namespaceName(other, "bidcloud-lease-")}`,
      ].sort(),
    );
  });

  it("refuses a tenant host another lease already serves", async () => {
    const workload = await templateWorkload("comfyui", LEASE);
    const withHost = (leaseId: string): LeaseWorkload => ({
      ...workload,
      leaseId,
      services: workload.services.map((service) => ({
        ...service,
        expose: service.expose.map((port) => ({ ...port, hosts: ["comfy.tenant.example"] })),
      })),
    });
    await runtime.deploy(withHost(LEASE));
    await expect(runtime.deploy(withHost("0197a3c2-5d1e-7c3a-9f00-00000000c0f3"))).rejects.toMatchObject({
      code: "CONFLICT",
    });
    // The same lease deploying again keeps its host.
    await expect(runtime.deploy(withHost(LEASE))).resolves.toBeUndefined();
  });

  it("connects through a kubeconfig file", async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), "bidcloud-kubeconfig-"));
    const file = path.join(folder, "config");
    writeFileSync(
      file,
      [
        "apiVersion: v1",
        "kind: Config",
        "clusters: [{ name: double, cluster: { server: '" +
          double.url +
          "', insecure-skip-tls-verify: true } }]",
        `users: [{ name: agent, user: { token: ${TOKEN} } }]`,
        "contexts: [{ name: provider, context: { cluster: double, user: agent } }]",
        "current-context: provider",
      ].join("\n"),
    );
    try {
      const fromFile = await createKubernetesRuntime({
        kubeconfig: file,
        ingressDomain: INGRESS_DOMAIN,
        gpuModels: GPU_MODELS,
      });
      await fromFile.deploy(await templateWorkload("comfyui", LEASE));
      expect(double.find("apps/v1", "deployments", NAMESPACE, "comfyui")).toBeDefined();
      await fromFile.close();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("does not start against an API server that refuses its credentials", async () => {
    await expect(
      createKubernetesRuntime({
        cluster: { server: double.url, token: "wrong" },
        ingressDomain: INGRESS_DOMAIN,
      }),
    ).rejects.toThrow();
  });
});

// --- The double answers as an API server does ----------------------------------------------------

describe("the API-server double", () => {
  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${double.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${TOKEN}`, ...(init.headers as Record<string, string> | undefined) },
    });
  const namespace = { apiVersion: "v1", kind: "Namespace", metadata: { name: "plain" } };

  it("serves only server-side apply as a patch, and wants a field manager", async () => {
    const merge = await call("/api/v1/namespaces/plain?fieldManager=test", {
      method: "PATCH",
      headers: { "content-type": "application/merge-patch+json" },
      body: JSON.stringify(namespace),
    });
    expect(merge.status).toBe(415);
    expect(await merge.json()).toMatchObject({
      kind: "Status",
      status: "Failure",
      reason: "UnsupportedMediaType",
      code: 415,
    });

    const noManager = await call("/api/v1/namespaces/plain", {
      method: "PATCH",
      headers: { "content-type": "application/apply-patch+yaml" },
      body: JSON.stringify(namespace),
    });
    expect(noManager.status).toBe(422);

    const applied = await call("/api/v1/namespaces/plain?fieldManager=test", {
      method: "PATCH",
      headers: { "content-type": "application/apply-patch+yaml" },
      body: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: plain\n",
    });
    expect(applied.status).toBe(201);
  });

  it("answers 404 NotFound as a Status, 409 to another manager without force, 422 to an object its schema rejects", async () => {
    const missing = await call("/apis/apps/v1/namespaces/nowhere/deployments/nothing");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({
      kind: "Status",
      reason: "NotFound",
      message: 'deployments.apps "nothing" not found',
      details: { name: "nothing", group: "apps", kind: "deployments" },
    });

    const apply = (manager: string, body: unknown, force = false) =>
      call(`/api/v1/namespaces/plain?fieldManager=${manager}${force ? "&force=true" : ""}`, {
        method: "PATCH",
        headers: { "content-type": "application/apply-patch+yaml" },
        body: JSON.stringify(body),
      });
    expect((await apply("first", namespace)).status).toBe(201);
    const labelled = { ...namespace, metadata: { name: "plain", labels: { team: "b" } } };
    expect((await apply("second", labelled)).status).toBe(409);
    expect((await apply("second", labelled, true)).status).toBe(200);

    const invalid = await apply(
      "first",
      { ...namespace, metadata: { name: "plain", labels: "not-a-map" } },
      true,
    );
    expect(invalid.status).toBe(422);
    expect(await invalid.json()).toMatchObject({ reason: "Invalid" });
  });
});
