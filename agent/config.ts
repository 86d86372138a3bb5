import path from "node:path";
import { isScalar, parseDocument } from "yaml";
import { z } from "zod";
import { tryParseUsd } from "@/lib/money";
import type { PricingStrategy } from "./pricing";
import {
  KubernetesOptionsError,
  resolveOptions as resolveKubernetesOptions,
  type KubernetesRuntimeOptions,
} from "./runtime/kubernetes/options";

/**
 * The agent's configuration file, YAML or JSON (JSON is YAML), e.g.:
 *
 *   api: http://127.0.0.1:3000/api/v1      # the marketplace API
 *   apiKey: bc_...                          # or apiKeyFile: ./api-key; BIDCLOUD_API_KEY overrides both
 *   signingKey: 0x<64 hex>                  # or signingKeyFile: ./signing-key; signs heartbeats
 *   runtime: { kind: local, host: 127.0.0.1, publicHost: 127.0.0.1 }
 *     # or { kind: kubernetes, ingressDomain: apps.example.com, kubeconfig?, ingressClass?, namespacePrefix?,
 *     #      gpuModels?, ... }: the options of agent/runtime/kubernetes/options.ts
 *   heartbeatSeconds: 3                     # per live lease
 *   resyncSeconds: 30                       # re-read orders, bids, inventory and leases (missed events)
 *   pricing:
 *     gpu: { h100: "2.40", a100: "1.30", "*": "1.00" }   # USD per GPU-hour by model; "*": any other
 *     cpuCore: "0.02"                       # USD per core-hour
 *     memoryGiB: "0.005"                    # USD per GiB-hour
 *     storageGiB: "0.0002"                  # USD per GiB-hour
 *     floor: "0.10"                         # lowest USD/hour of any bid
 *     margins:                              # in order; each matching rule multiplies the price
 *       - { when: { minGpus: 4 }, multiply: "0.95" }
 *       - { when: { region: us-east }, multiply: "1.1" }
 *       # when: gpuModel (one or a list), minGpus, maxGpus, minReplicas, region, attributes: {key: value}
 *     command: ["./price.sh"]               # optional: order JSON on stdin, USD/hour on stdout
 *
 * Relative paths (key files, kubeconfig, the price command) are relative to the config file,
 * and the price command runs there. Prices are decimal strings (numbers are accepted and read
 * by their decimal text, as YAML wrote them) with at most 6 decimals.
 */

export interface LocalRuntimeConfig {
  kind: "local";
  /** Address the workloads listen on. */
  host: string;
  /** Host name put in the service URIs (default: host, or 127.0.0.1 when host is 0.0.0.0). */
  publicHost: string;
}

/**
 * The Kubernetes runtime's own options (agent/runtime/kubernetes/options.ts: ingressDomain,
 * ingressClass, namespacePrefix, gpuModels, ...), checked by that module when the config loads.
 */
export type KubernetesRuntimeConfig = { kind: "kubernetes" } & Omit<KubernetesRuntimeOptions, "log">;

export type RuntimeConfig = LocalRuntimeConfig | KubernetesRuntimeConfig;

export interface AgentPricing extends PricingStrategy {
  /** External price command (argv), run in `commandCwd`; null: the table prices. */
  command: string[] | null;
  commandCwd: string;
}

export interface AgentConfig {
  /** Base URL of the API without a trailing slash, e.g. http://127.0.0.1:3000/api/v1. */
  api: string;
  apiKey: string;
  signingKey: `0x${string}`;
  runtime: RuntimeConfig;
  heartbeatSeconds: number;
  resyncSeconds: number;
  pricing: AgentPricing;
}

export class AgentConfigError extends Error {
  constructor(
    readonly file: string,
    readonly issues: ReadonlyArray<{ path: string; message: string }>,
  ) {
    super(
      `invalid agent config ${file}:\n${issues.map((issue) => `  ${issue.path}: ${issue.message}`).join("\n")}`,
    );
    this.name = "AgentConfigError";
  }
}

const USD_MESSAGE = 'must be a decimal string like "2.50" (at most 6 decimals)';

/** A non-negative decimal with at most 6 decimals, as millionths (micro-USD, or a factor in ppm). */
const Micros = z.union([z.string(), z.number()], { message: USD_MESSAGE }).transform((value, ctx) => {
  // A YAML number is read back through its shortest decimal text, which is the literal written
  // for any value with 6 decimals or fewer; the float is never used as money.
  const micros = tryParseUsd(typeof value === "number" ? String(value) : value.trim());
  if (micros === null) {
    ctx.addIssue({ code: "custom", message: USD_MESSAGE });
    return z.NEVER;
  }
  return micros;
});

const PositiveMicros = Micros.refine((micros) => micros > 0n, { message: "must be greater than 0" });

const GpuModel = z
  .string()
  .min(1)
  .max(64)
  .transform((model) => model.toLowerCase());

const MarginSchema = z.strictObject({
  when: z
    .strictObject({
      gpuModel: z.union([GpuModel, z.array(GpuModel).min(1)]).optional(),
      minGpus: z.number().int().min(0).optional(),
      maxGpus: z.number().int().min(0).optional(),
      minReplicas: z.number().int().min(1).optional(),
      region: z.string().min(1).optional(),
      attributes: z.record(z.string(), z.string()).optional(),
    })
    .default({}),
  multiply: PositiveMicros,
});

const PricingSchema = z
  .strictObject({
    gpu: z.record(z.string().min(1), Micros).default({}),
    cpuCore: Micros.default(0n),
    memoryGiB: Micros.default(0n),
    storageGiB: Micros.default(0n),
    floor: Micros.default(0n),
    margins: z.array(MarginSchema).default([]),
    command: z
      .union([
        z
          .string()
          .min(1)
          .transform((program) => [program]),
        z.array(z.string()).min(1),
      ])
      .optional(),
  })
  .superRefine((pricing, ctx) => {
    const seen = new Set<string>();
    for (const model of Object.keys(pricing.gpu)) {
      const lower = model.toLowerCase();
      if (seen.has(lower)) ctx.addIssue({ code: "custom", path: ["gpu", model], message: "is listed twice" });
      seen.add(lower);
    }
    if (Object.keys(pricing.gpu).length === 0 && !pricing.command) {
      ctx.addIssue({ code: "custom", path: ["gpu"], message: "is required unless pricing.command is set" });
    }
  });

const LocalRuntimeSchema = z.strictObject({
  kind: z.literal("local"),
  host: z.string().min(1).default("127.0.0.1"),
  publicHost: z.string().min(1).optional(),
});

// Loose: the Kubernetes module owns its options and checks them (see kubernetesRuntimeOf).
const KubernetesRuntimeSchema = z.looseObject({
  kind: z.literal("kubernetes"),
  kubeconfig: z.string().min(1).optional(),
});

const ConfigSchema = z.strictObject({
  api: z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }),
  apiKey: z.string().min(1).optional(),
  apiKeyFile: z.string().min(1).optional(),
  signingKey: z.string().optional(),
  signingKeyFile: z.string().min(1).optional(),
  runtime: z
    .discriminatedUnion("kind", [LocalRuntimeSchema, KubernetesRuntimeSchema], {
      message: 'kind must be "local" or "kubernetes"',
    })
    .default({ kind: "local", host: "127.0.0.1" }),
  heartbeatSeconds: z.number().int().min(1).max(60).default(3),
  resyncSeconds: z.number().int().min(5).max(3600).default(30),
  pricing: PricingSchema,
});

const SIGNING_KEY_PATTERN = /^0x[0-9a-fA-F]{64}$/;
const API_KEY_REQUIRED = {
  path: "apiKey",
  message: "is required (or apiKeyFile, or the BIDCLOUD_API_KEY environment variable)",
};
const SIGNING_KEY_REQUIRED = { path: "signingKey", message: "is required (or signingKeyFile)" };

export interface ConfigSources {
  readText: (file: string) => Promise<string>;
  /** Environment: BIDCLOUD_API_KEY overrides the file's API key. */
  env: { BIDCLOUD_API_KEY?: string };
}

/** Reads and checks the config file; throws AgentConfigError naming the file and each bad field. */
export async function loadAgentConfig(file: string, sources: ConfigSources): Promise<AgentConfig> {
  let text: string;
  try {
    text = await sources.readText(file);
  } catch (error) {
    throw new AgentConfigError(file, [{ path: "(file)", message: `cannot be read: ${codeOf(error)}` }]);
  }
  return parseAgentConfig(text, file, sources);
}

export async function parseAgentConfig(
  text: string,
  file: string,
  sources: ConfigSources,
): Promise<AgentConfig> {
  const document = parseDocument(text);
  if (document.errors.length > 0) {
    throw new AgentConfigError(
      file,
      document.errors.map((error) => ({
        path: `(line ${error.linePos?.[0].line ?? "?"})`,
        message: error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:$/, ""),
      })),
    );
  }
  const input: unknown = document.toJS() ?? {};
  // YAML reads an unquoted 0x... as a (float-rounded) number: take the key's text as written.
  const keyNode = document.get("signingKey", true);
  if (isScalar(keyNode) && typeof keyNode.source === "string" && isRecord(input))
    input.signingKey = keyNode.source;
  const parsed = ConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new AgentConfigError(file, [
      ...issuesOf(parsed.error, input),
      ...missingKeyIssues(input, sources.env),
    ]);
  }
  const raw = parsed.data;
  const directory = path.dirname(path.resolve(file));
  const resolve = (relative: string) => path.resolve(directory, relative);
  const issues: Array<{ path: string; message: string }> = [];

  const readSecret = async (field: string, inline: string | undefined, fileField: string | undefined) => {
    if (inline !== undefined && fileField !== undefined) {
      issues.push({ path: `${field}File`, message: `give ${field} or ${field}File, not both` });
      return undefined;
    }
    if (fileField === undefined) return inline?.trim();
    try {
      return (await sources.readText(resolve(fileField))).trim();
    } catch (error) {
      issues.push({ path: `${field}File`, message: `cannot read ${resolve(fileField)}: ${codeOf(error)}` });
      return undefined;
    }
  };

  const fileApiKey = await readSecret("apiKey", raw.apiKey, raw.apiKeyFile);
  const apiKey = sources.env.BIDCLOUD_API_KEY || fileApiKey;
  if (!apiKey && !issues.some((issue) => issue.path === "apiKeyFile")) {
    issues.push(API_KEY_REQUIRED);
  }
  const signingKey = await readSecret("signingKey", raw.signingKey, raw.signingKeyFile);
  if (signingKey === undefined) {
    if (!issues.some((issue) => issue.path === "signingKeyFile")) {
      issues.push(SIGNING_KEY_REQUIRED);
    }
  } else if (!SIGNING_KEY_PATTERN.test(signingKey)) {
    // The key itself is never echoed: it is a secret.
    issues.push({
      path: raw.signingKeyFile ? "signingKeyFile" : "signingKey",
      message: "must be a private key: 0x and 64 hex digits",
    });
  }
  if (issues.length > 0) throw new AgentConfigError(file, issues);

  const gpu = new Map<string, bigint>();
  let gpuFallback: bigint | null = null;
  for (const [model, price] of Object.entries(raw.pricing.gpu)) {
    if (model === "*") gpuFallback = price;
    else gpu.set(model.toLowerCase(), price);
  }

  return {
    api: raw.api.replace(/\/+$/, ""),
    apiKey: apiKey!,
    signingKey: signingKey as `0x${string}`,
    runtime:
      raw.runtime.kind === "local"
        ? {
            kind: "local",
            host: raw.runtime.host,
            publicHost:
              raw.runtime.publicHost ?? (raw.runtime.host === "0.0.0.0" ? "127.0.0.1" : raw.runtime.host),
          }
        : kubernetesRuntimeOf(raw.runtime, resolve, file),
    heartbeatSeconds: raw.heartbeatSeconds,
    resyncSeconds: raw.resyncSeconds,
    pricing: {
      gpu,
      gpuFallback,
      cpuCore: raw.pricing.cpuCore,
      memoryGiB: raw.pricing.memoryGiB,
      storageGiB: raw.pricing.storageGiB,
      floor: raw.pricing.floor,
      margins: raw.pricing.margins.map(({ when, multiply }) => ({
        when: {
          gpuModels: when.gpuModel === undefined ? undefined : [when.gpuModel].flat(),
          minGpus: when.minGpus,
          maxGpus: when.maxGpus,
          minReplicas: when.minReplicas,
          region: when.region,
          attributes: when.attributes,
        },
        multiplyPpm: multiply,
      })),
      command: raw.pricing.command ?? null,
      commandCwd: directory,
    },
  };
}

function kubernetesRuntimeOf(
  section: { kind: "kubernetes"; kubeconfig?: string } & Record<string, unknown>,
  resolve: (relative: string) => string,
  file: string,
): KubernetesRuntimeConfig {
  const { kind: _kind, kubeconfig, ...rest } = section;
  const options = {
    ...(rest as Omit<KubernetesRuntimeOptions, "log" | "kubeconfig">),
    ...(kubeconfig === undefined ? {} : { kubeconfig: resolve(kubeconfig) }),
  };
  try {
    resolveKubernetesOptions(options);
  } catch (error) {
    if (!(error instanceof KubernetesOptionsError)) throw error;
    throw new AgentConfigError(
      file,
      error.issues.map((issue) => ({ path: `runtime.${issue.path || "(section)"}`, message: issue.message })),
    );
  }
  return { kind: "kubernetes", ...options };
}

/** The keys' presence, checked apart from the schema so one run lists every missing field. */
function missingKeyIssues(
  input: unknown,
  env: ConfigSources["env"],
): Array<{ path: string; message: string }> {
  const given = (field: string) => isRecord(input) && input[field] !== undefined;
  const issues: Array<{ path: string; message: string }> = [];
  if (!given("apiKey") && !given("apiKeyFile") && !env.BIDCLOUD_API_KEY) issues.push(API_KEY_REQUIRED);
  if (!given("signingKey") && !given("signingKeyFile")) issues.push(SIGNING_KEY_REQUIRED);
  return issues;
}

function issuesOf(error: z.ZodError, input: unknown): Array<{ path: string; message: string }> {
  return error.issues.flatMap((issue) => {
    const base = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        path: base ? `${base}.${key}` : key,
        message: "is not a known field",
      }));
    }
    const missing = issue.code === "invalid_type" && valueAt(input, issue.path) === undefined;
    return [{ path: base || "(file)", message: missing ? "is required" : issue.message }];
  });
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isRecord(current) && !Array.isArray(current)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : error instanceof Error ? error.message : String(error);
}
