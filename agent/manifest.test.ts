import { describe, expect, it } from "vitest";
import { GiB } from "@/lib/money";
import { checkSdl, TEMPLATES } from "@/lib/sdl";
import { checkManifestVersion, ManifestError, manifestVersionOf, workloadOf } from "./manifest";

async function manifestOf(sdl: string) {
  const result = await checkSdl(sdl, { aktPriceMicroUsd: 1_000_000n });
  if (!result.valid) throw new Error(`template is invalid: ${JSON.stringify(result.errors)}`);
  return result;
}

const comfyui = TEMPLATES.find((template) => template.slug === "comfyui") ?? TEMPLATES[2]!;
const vllm = TEMPLATES[0]!;

const TWO_GROUPS_SDL = `
version: "2.0"
services:
  web:
    image: nginx:1.27
    env: [MODE=demo, TOKEN=secret]
    expose:
      - port: 8080
        as: 80
        to: [{ global: true }]
      - port: 9090
        proto: udp
        to: [{ service: api }]
  api:
    image: ghcr.io/acme/api:2
    command: ["/bin/api"]
    args: ["--port", "7000"]
    expose:
      - port: 7000
        to: [{ service: web }]
  trainer:
    image: pytorch/pytorch:2.4.0
    expose:
      - port: 6006
        to: [{ global: true }]
profiles:
  compute:
    small: { resources: { cpu: { units: 0.5 }, memory: { size: 512Mi }, storage: { size: 1Gi } } }
    gpu:
      resources:
        cpu: { units: 8 }
        memory: { size: 64Gi }
        storage: [{ size: 100Gi }, { name: shm, size: 4Gi, attributes: { class: ram, persistent: false } }]
        gpu:
          units: 2
          attributes: { vendor: { nvidia: [{ model: h100, ram: 80Gi, interface: sxm }, { model: a100 }] } }
  placement:
    front:
      pricing: { small: { denom: uakt, amount: 100 } }
    back:
      pricing: { gpu: { denom: uakt, amount: 10000 } }
deployment:
  web: { front: { profile: small, count: 2 } }
  api: { front: { profile: small, count: 1 } }
  trainer: { back: { profile: gpu, count: 1 } }
`;

describe("manifest version", () => {
  it("is the sha256 of the exact manifest text, as the SDL check computes it", async () => {
    const result = await manifestOf(comfyui.sdl);
    expect(manifestVersionOf(result.manifestJson)).toBe(result.manifestVersion);
    expect(checkManifestVersion(result.manifestJson, result.manifestVersion)).toEqual({
      ok: true,
      version: result.manifestVersion,
    });
    expect(checkManifestVersion(result.manifestJson, result.manifestVersion.toUpperCase()).ok).toBe(true);
  });

  it("does not match a manifest changed by one byte", async () => {
    const result = await manifestOf(comfyui.sdl);
    const tampered = result.manifestJson.replace("zjuuu/comfyui", "evil/comfyui");
    expect(tampered).not.toBe(result.manifestJson);
    expect(checkManifestVersion(tampered, result.manifestVersion)).toEqual({
      ok: false,
      expected: result.manifestVersion,
      actual: manifestVersionOf(tampered),
    });
    // Re-serializing changes nothing semantically but is not what the tenant posted.
    const reformatted = JSON.stringify(JSON.parse(result.manifestJson), null, 1);
    expect(checkManifestVersion(reformatted, result.manifestVersion).ok).toBe(false);
  });
});

describe("workloadOf", () => {
  const lease = (manifestVersion: string, groupName: string | null = "dcloud") => ({
    id: "lease_1",
    deploymentId: "dep_1",
    groupName,
    manifestVersion,
  });

  it("turns a template's group into the workload a runtime deploys", async () => {
    const result = await manifestOf(comfyui.sdl);
    const workload = workloadOf(result.manifestJson, lease(result.manifestVersion));
    expect(workload).toEqual({
      leaseId: "lease_1",
      deploymentId: "dep_1",
      groupName: "dcloud",
      manifestVersion: result.manifestVersion,
      services: [
        {
          name: "comfyui",
          image: "zjuuu/comfyui:0.23",
          command: null,
          args: null,
          env: [
            "ENABLE_MANAGER=true",
            "COMMANDLINE_ARGS=--listen 0.0.0.0 --port 8080",
            "MODELURLS=",
            "VAEURLS=",
            "UPSCALEURLS=",
          ],
          count: 1,
          resources: {
            cpuMillicores: 6000,
            memoryBytes: 32n * GiB,
            storageBytes: 100n * GiB,
            gpu: { units: 1, models: ["rtx4090", "l40s", "a100"], vendor: "nvidia" },
          },
          expose: [{ port: 8080, externalPort: 80, proto: "TCP", global: true, hosts: [], service: "" }],
        },
      ],
    });
  });

  it("counts a RAM volume as memory, as the order does", async () => {
    const result = await manifestOf(vllm.sdl);
    const [service] = workloadOf(result.manifestJson, lease(result.manifestVersion)).services;
    expect(service?.resources.memoryBytes).toBe(result.groups[0]!.requirement.resources.memoryBytes);
    expect(service?.resources.storageBytes).toBe(100n * GiB);
    expect(service?.command).toEqual(["bash", "-c"]);
  });

  it("takes only the lease's group of a manifest with several", async () => {
    const result = await manifestOf(TWO_GROUPS_SDL);
    const front = workloadOf(result.manifestJson, lease(result.manifestVersion, "front"));
    expect(front.services.map((service) => [service.name, service.count])).toEqual([
      ["api", 1],
      ["web", 2],
    ]);
    const web = front.services.find((service) => service.name === "web")!;
    expect(web.env).toEqual(["MODE=demo", "TOKEN=secret"]);
    expect(web.expose).toEqual(
      expect.arrayContaining([
        { port: 8080, externalPort: 80, proto: "TCP", global: true, hosts: [], service: "" },
        expect.objectContaining({ port: 9090, proto: "UDP", global: false, service: "api" }),
      ]),
    );
    const api = front.services.find((service) => service.name === "api")!;
    expect(api).toMatchObject({ command: ["/bin/api"], args: ["--port", "7000"] });
    expect(api.resources).toMatchObject({ cpuMillicores: 500, gpu: { units: 0, models: [], vendor: null } });

    const back = workloadOf(result.manifestJson, lease(result.manifestVersion, "back"));
    expect(back.services).toHaveLength(1);
    expect(back.services[0]!.resources).toEqual({
      cpuMillicores: 8000,
      memoryBytes: 68n * GiB,
      storageBytes: 100n * GiB,
      gpu: { units: 2, models: ["h100", "a100"], vendor: "nvidia" },
    });
  });

  it("refuses a group the manifest does not have, or a missing group name when there are several", async () => {
    const result = await manifestOf(TWO_GROUPS_SDL);
    expect(() => workloadOf(result.manifestJson, lease(result.manifestVersion, "middle"))).toThrow(
      new ManifestError('the manifest has no group "middle" (it has: back, front)'),
    );
    expect(() => workloadOf(result.manifestJson, lease(result.manifestVersion, null))).toThrow(ManifestError);
    const single = await manifestOf(comfyui.sdl);
    expect(workloadOf(single.manifestJson, lease(single.manifestVersion, null)).groupName).toBe("dcloud");
  });

  it("refuses text that is not an Akash manifest", () => {
    expect(() => workloadOf("{not json", lease("x"))).toThrow("the manifest is not JSON");
    expect(() => workloadOf('[{"name":"dcloud","services":[{"name":"a"}]}]', lease("x"))).toThrow(
      /the manifest is not an Akash manifest: 0\.services\.0\.image/,
    );
  });
});
