import type { LeaseWorkload, WorkloadPort, WorkloadService } from "../runtime";
import { resolveOptions, type KubernetesRuntimeOptions, type ResolvedOptions } from "./options";

/** Test factories: a GPU lease workload and provider options, each default overridable. */

export function workloadPort(overrides: Partial<WorkloadPort> = {}): WorkloadPort {
  return { port: 8080, externalPort: 80, proto: "TCP", global: true, hosts: [], service: "", ...overrides };
}

export function workloadService(overrides: Partial<WorkloadService> = {}): WorkloadService {
  return {
    name: "web",
    image: "vllm/vllm-openai:v0.8.4",
    command: ["bash", "-c"],
    args: ["vllm serve model --port 8080"],
    env: ["HF_TOKEN=secret=with=equals", "EMPTY="],
    count: 1,
    resources: {
      cpuMillicores: 6000,
      memoryBytes: 34_359_738_368n,
      storageBytes: 107_374_182_400n,
      gpu: { units: 1, models: ["h100", "a100"], vendor: "nvidia" },
    },
    expose: [workloadPort()],
    ...overrides,
  };
}

export function leaseWorkload(overrides: Partial<LeaseWorkload> = {}): LeaseWorkload {
  return {
    leaseId: "0197a3c2-5d1e-7c3a-9f00-1a2b3c4d5e6f",
    deploymentId: "0197a3c1-0000-7000-8000-000000000001",
    groupName: "dcloud",
    manifestVersion: "ab".repeat(32),
    services: [workloadService()],
    ...overrides,
  };
}

export const TEST_GPU_MODELS = {
  h100: ["NVIDIA-H100-80GB-HBM3", "NVIDIA-H100-PCIe"],
  a100: "NVIDIA-A100-SXM4-80GB",
  l40s: "NVIDIA-L40S",
  rtx4090: "NVIDIA-GeForce-RTX-4090",
};

export function testOptions(overrides: Partial<KubernetesRuntimeOptions> = {}): ResolvedOptions {
  return resolveOptions({
    ingressDomain: "ingress.provider.example",
    gpuModels: TEST_GPU_MODELS,
    ...overrides,
  });
}
