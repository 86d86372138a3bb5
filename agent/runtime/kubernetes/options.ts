import { z } from "zod";
import type { AgentLog } from "@/agent/log";
import { isDns1123Label, isDnsSubdomain, isLabelValue } from "./names";

export interface KubernetesRuntimeOptions {
  /**
   * A kubeconfig file (absolute path). Absent, and no `cluster` either: `KubeConfig.loadFromDefault()`
   * (KUBECONFIG, ~/.kube/config, then the in-cluster service account).
   */
  kubeconfig?: string;
  /** An API server given directly (tests, or a token from a secret store); wins over `kubeconfig`. */
  cluster?: { server: string; token?: string; skipTLSVerify?: boolean };
  /** Service hosts are `<lease-short>-<service>-<port>.<ingressDomain>` (a wildcard DNS record points here). */
  ingressDomain: string;
  /** The IngressClass to ask for; absent: the cluster's default class. */
  ingressClass?: string;
  /** Where the ingress controller runs: its pods may reach the ports exposed through Ingress. */
  ingressControllerNamespace?: string;
  /** Host name that reaches the nodes' NodePorts; absent: NodePort ports get no URI. */
  nodePortHost?: string;
  /** Default "bidcloud-lease-"; the lease id follows. */
  namespacePrefix?: string;
  /** Extended resource the GPUs are requested as; default "nvidia.com/gpu" (NVIDIA device plugin). */
  gpuResource?: string;
  /**
   * Node label whose value names a node's GPU; default "nvidia.com/gpu.product", which NVIDIA's
   * GPU Feature Discovery (part of the GPU Operator) sets, e.g. "NVIDIA-H100-80GB-HBM3".
   */
  gpuNodeLabel?: string;
  /**
   * The market's model names (lowercase, "h100") to the label values of nodes that carry one
   * (`{ h100: ["NVIDIA-H100-80GB-HBM3", "NVIDIA-H100-PCIe"] }`). A service that accepts only
   * unmapped models is refused at deploy: it could never be scheduled.
   */
  gpuModels?: Record<string, string | string[]>;
  /** Most recent log lines read per container and drain; default 200. */
  logTailLines?: number;
  log?: AgentLog;
}

/** The options with defaults filled in; what object generation and the runtime read. */
export interface ResolvedOptions {
  ingressDomain: string;
  ingressClass: string | null;
  ingressControllerNamespace: string;
  nodePortHost: string | null;
  namespacePrefix: string;
  gpuResource: string;
  gpuNodeLabel: string;
  gpuModels: ReadonlyMap<string, readonly string[]>;
  logTailLines: number;
}

/** Leaves room for a 36-character UUID in a 63-character namespace name. */
const MAX_PREFIX_LENGTH = 27;

const dnsName = z.string().refine(isDnsSubdomain, { message: "must be a lowercase DNS name" });
const qualifiedName = z
  .string()
  .regex(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, {
    message: 'must be a Kubernetes qualified name such as "nvidia.com/gpu"',
  });

const nodeLabelValue = z
  .string()
  .min(1)
  .refine(isLabelValue, { message: "must be a Kubernetes label value" });

const OptionsSchema = z.object({
  ingressDomain: dnsName,
  ingressClass: z.string().refine(isDns1123Label, { message: "must be a DNS label" }).optional(),
  ingressControllerNamespace: z
    .string()
    .refine(isDns1123Label, { message: "must be a DNS label" })
    .default("ingress-nginx"),
  nodePortHost: dnsName.optional(),
  namespacePrefix: z
    .string()
    .max(MAX_PREFIX_LENGTH)
    .regex(/^[a-z]([-a-z0-9]*)$/, { message: "must be lowercase letters, digits and dashes, from a letter" })
    .default("bidcloud-lease-"),
  gpuResource: qualifiedName.default("nvidia.com/gpu"),
  gpuNodeLabel: qualifiedName.default("nvidia.com/gpu.product"),
  gpuModels: z
    .record(z.string().min(1), z.union([nodeLabelValue, z.array(nodeLabelValue).min(1)]))
    .default({}),
  logTailLines: z.number().int().min(1).max(10_000).default(200),
});

export class KubernetesOptionsError extends Error {
  constructor(readonly issues: ReadonlyArray<{ path: string; message: string }>) {
    super(
      `invalid Kubernetes runtime options: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")}`,
    );
    this.name = "KubernetesOptionsError";
  }
}

export function resolveOptions(options: KubernetesRuntimeOptions): ResolvedOptions {
  const parsed = OptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new KubernetesOptionsError(
      parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
    );
  }
  const value = parsed.data;
  return {
    ingressDomain: value.ingressDomain,
    ingressClass: value.ingressClass ?? null,
    ingressControllerNamespace: value.ingressControllerNamespace,
    nodePortHost: value.nodePortHost ?? null,
    namespacePrefix: value.namespacePrefix,
    gpuResource: value.gpuResource,
    gpuNodeLabel: value.gpuNodeLabel,
    gpuModels: new Map(
      Object.entries(value.gpuModels).map(([model, labels]) => [
        model.toLowerCase(),
        typeof labels === "string" ? [labels] : labels,
      ]),
    ),
    logTailLines: value.logTailLines,
  };
}
