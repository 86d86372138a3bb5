import { stringify } from "yaml";
import { z } from "zod";
import { tryParseUsd } from "@/lib/money";
import { BLOCKS_PER_HOUR } from "@/lib/sdl/pricing";

/**
 * "Build with a form": one service in the units people think in (cores, GiB, dollars per hour)
 * written out as Akash SDL v2.0, which then goes through the same editor and check as any SDL.
 */

export const FORM_GPU_MODELS = [
  { value: "h100", label: "H100" },
  { value: "h200", label: "H200" },
  { value: "a100", label: "A100" },
  { value: "l40s", label: "L40S" },
  { value: "a6000", label: "RTX A6000" },
  { value: "rtx4090", label: "RTX 4090" },
  { value: "rtx3090", label: "RTX 3090" },
  { value: "a10", label: "A10" },
] as const;

export interface SdlFormValues {
  image: string;
  port: string;
  replicas: string;
  gpuUnits: string;
  gpuModels: string[];
  cpuCores: string;
  memoryGiB: string;
  storageGiB: string;
  /** One KEY=value a line. */
  env: string;
  maxPricePerHour: string;
}

export const DEFAULT_SDL_FORM: SdlFormValues = {
  image: "",
  port: "8000",
  replicas: "1",
  gpuUnits: "1",
  gpuModels: ["h100", "a100"],
  cpuCores: "8",
  memoryGiB: "32",
  storageGiB: "100",
  env: "",
  maxPricePerHour: "3.00",
};

const PLACEMENT = "dcloud";
/** Akash's ACT credit: 1 uact is one micro-dollar, so a dollar price needs no exchange rate. */
const DENOM = "uact";
const DEC_DECIMALS = 18n;
const ENV_LINE = /^[A-Za-z_][A-Za-z0-9_]*=.*$/;
const IMAGE = /^[a-z0-9][a-z0-9._\-/:@]*$/i;

function whole(min: number, max: number) {
  return z
    .string()
    .trim()
    .regex(/^\d+$/, { message: "must be a whole number" })
    .transform(Number)
    .refine((value) => value >= min && value <= max, { message: `must be between ${min} and ${max}` });
}

const FormSchema = z.object({
  image: z
    .string()
    .trim()
    .min(1, { message: "is required, e.g. vllm/vllm-openai:v0.8.4" })
    .regex(IMAGE, { message: "must be an image reference like ollama/ollama:0.6.5" }),
  port: z
    .string()
    .trim()
    .refine(
      (value) => value === "" || (/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 65535),
      {
        message: "must be a port between 1 and 65535, or empty",
      },
    ),
  replicas: whole(1, 100),
  gpuUnits: whole(0, 8),
  gpuModels: z
    .array(z.string())
    .refine((models) => models.every((model) => FORM_GPU_MODELS.some((known) => known.value === model)), {
      message: "must be GPU models from the list",
    }),
  cpuCores: z
    .string()
    .trim()
    .regex(/^\d+(\.\d{1,3})?$/, { message: "must be a number of cores like 8 or 0.5" })
    .refine((value) => Number(value) > 0 && Number(value) <= 512, {
      message: "must be between 0.001 and 512",
    }),
  memoryGiB: whole(1, 4096),
  storageGiB: whole(1, 100_000),
  env: z
    .string()
    .transform((text) =>
      text
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean),
    )
    .refine((lines) => lines.every((line) => ENV_LINE.test(line)), {
      message: "must be one KEY=value a line; keys are letters, digits and _",
    }),
  maxPricePerHour: z
    .string()
    .trim()
    .transform((value, ctx) => {
      const micros = tryParseUsd(value);
      if (micros === null || micros === 0n) {
        ctx.addIssue({ code: "custom", message: "must be a price in dollars like 3.50" });
        return z.NEVER;
      }
      return micros;
    }),
});

export type SdlFormResult =
  { ok: true; sdl: string; serviceName: string } | { ok: false; fields: Record<string, string> };

/** A DNS-label service name from the image: "vllm/vllm-openai:v0.8.4" -> "vllm-openai". */
export function serviceNameFor(image: string): string {
  const base = image.trim().split("@")[0]?.split("/").pop()?.split(":")[0] ?? "";
  const name = base
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^[^a-z]+/, "")
    .replace(/-+$/, "")
    .slice(0, 40);
  return name || "app";
}

/**
 * The per-replica price per block, as SDL wants it: dollars per hour for the whole deployment,
 * divided over replicas and Akash blocks (~6 s). Rounded up at 18 decimals so that the market,
 * which multiplies back and rounds down to micro-dollars, arrives at exactly the typed price.
 */
export function amountPerBlock(microUsdPerHour: bigint, replicas: number): string {
  const divisor = BigInt(BLOCKS_PER_HOUR) * BigInt(replicas);
  const scale = 10n ** DEC_DECIMALS;
  const scaled = (microUsdPerHour * scale + divisor - 1n) / divisor;
  const integer = scaled / scale;
  const fraction = (scaled % scale).toString().padStart(Number(DEC_DECIMALS), "0").replace(/0+$/, "");
  return fraction ? `${integer}.${fraction}` : integer.toString();
}

export function sdlFromForm(values: SdlFormValues): SdlFormResult {
  const parsed = FormSchema.safeParse(values);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) fields[String(issue.path[0])] ??= issue.message;
    return { ok: false, fields };
  }
  const form = parsed.data;
  const name = serviceNameFor(form.image);
  const port = form.port === "" ? null : Number(form.port);
  const amount = amountPerBlock(form.maxPricePerHour, form.replicas);
  const gpu =
    form.gpuUnits === 0
      ? undefined
      : {
          units: form.gpuUnits,
          attributes: {
            vendor: { nvidia: form.gpuModels.length > 0 ? form.gpuModels.map((model) => ({ model })) : null },
          },
        };

  const sdl = {
    version: "2.0",
    services: {
      [name]: {
        image: form.image,
        ...(port === null ? {} : { expose: [{ port, as: port, to: [{ global: true }] }] }),
        ...(form.env.length > 0 ? { env: form.env } : {}),
      },
    },
    profiles: {
      compute: {
        [name]: {
          resources: {
            cpu: { units: Number(form.cpuCores) },
            memory: { size: `${form.memoryGiB}Gi` },
            storage: [{ size: `${form.storageGiB}Gi` }],
            ...(gpu ? { gpu } : {}),
          },
        },
      },
      placement: {
        [PLACEMENT]: {
          pricing: {
            [name]: { denom: DENOM, amount: /^\d+$/.test(amount) ? Number(amount) : amount },
          },
        },
      },
    },
    deployment: { [name]: { [PLACEMENT]: { profile: name, count: form.replicas } } },
  };
  return { ok: true, sdl: stringify(sdl, { nullStr: "", lineWidth: 0 }), serviceName: name };
}
