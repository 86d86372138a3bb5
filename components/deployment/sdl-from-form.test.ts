import { describe, expect, it } from "vitest";
import { checkSdl } from "@/lib/sdl";
import {
  DEFAULT_SDL_FORM,
  amountPerBlock,
  sdlFromForm,
  serviceNameFor,
  type SdlFormValues,
} from "./sdl-from-form";

const OPTIONS = { aktPriceMicroUsd: 3_000_000n };

function form(overrides: Partial<SdlFormValues> = {}): SdlFormValues {
  return { ...DEFAULT_SDL_FORM, image: "vllm/vllm-openai:v0.8.4", ...overrides };
}

async function checked(values: SdlFormValues) {
  const built = sdlFromForm(values);
  if (!built.ok) throw new Error(`form rejected: ${JSON.stringify(built.fields)}`);
  const result = await checkSdl(built.sdl, OPTIONS);
  if (!result.valid) throw new Error(`SDL rejected: ${JSON.stringify(result.errors)}`);
  return result;
}

describe("sdlFromForm", () => {
  it("writes an SDL that checkSdl accepts, with the GPUs, machine and port asked for", async () => {
    const result = await checked(form({ gpuUnits: "2", gpuModels: ["h100", "rtx4090"], cpuCores: "0.5" }));
    const [group] = result.groups;
    expect(group?.requirement.resources.gpu.units).toBe(2);
    expect(group?.requirement.resources.gpu.choices.map((choice) => choice.model)).toEqual([
      "h100",
      "rtx4090",
    ]);
    expect(group?.requirement.resources.cpuMillicores).toBe(500);
    expect(group?.requirement.resources.memoryBytes).toBe(32n * 1024n ** 3n);
    expect(group?.requirement.resources.storageBytes).toBe(100n * 1024n ** 3n);
    expect(result.services[0]?.expose[0]?.port).toBe(8000);
  });

  it("turns the hourly price into a per-block price that comes back as exactly the typed price", async () => {
    for (const [price, replicas] of [
      ["3.50", "1"],
      ["3.00", "1"],
      ["7.000001", "3"],
      ["0.01", "7"],
    ] as const) {
      const result = await checked(form({ maxPricePerHour: price, replicas }));
      expect(result.groups[0]?.maxPricePerHour, `${price} over ${replicas}`).toBe(
        BigInt(Math.round(Number(price) * 1e6)),
      );
      expect(result.groups[0]?.requirement.count).toBe(Number(replicas));
    }
  });

  it("asks for any NVIDIA GPU when no model is ticked, and for no GPU at 0 GPUs", async () => {
    const any = await checked(form({ gpuModels: [] }));
    expect(any.groups[0]?.requirement.resources.gpu).toMatchObject({
      units: 1,
      vendor: "nvidia",
      choices: [],
    });
    const cpuOnly = await checked(form({ gpuUnits: "0" }));
    expect(cpuOnly.groups[0]?.requirement.resources.gpu.units).toBe(0);
  });

  it("passes environment variables through and leaves the port out when it is empty", async () => {
    const built = sdlFromForm(form({ env: "HF_TOKEN=abc\n\n  MODEL=llama  ", port: "" }));
    expect(built.ok && built.sdl).toContain("- HF_TOKEN=abc");
    expect(built.ok && built.sdl).toContain("- MODEL=llama");
    expect(built.ok && built.sdl).not.toContain("expose");
  });

  it("names each field it cannot use", () => {
    const built = sdlFromForm(
      form({ image: "", cpuCores: "-2", env: "not a variable", maxPricePerHour: "free", gpuUnits: "9" }),
    );
    expect(built.ok).toBe(false);
    expect(built.ok ? [] : Object.keys(built.fields).sort()).toEqual([
      "cpuCores",
      "env",
      "gpuUnits",
      "image",
      "maxPricePerHour",
    ]);
  });
});

describe("amountPerBlock", () => {
  it("is an integer when the price divides evenly and rounds up at 18 decimals otherwise", () => {
    expect(amountPerBlock(3_000_000n, 1)).toBe("5000");
    expect(amountPerBlock(3_500_000n, 1)).toBe("5833.333333333333333334");
  });
});

describe("serviceNameFor", () => {
  it("derives a DNS label from the image", () => {
    expect(serviceNameFor("vllm/vllm-openai:v0.8.4")).toBe("vllm-openai");
    expect(serviceNameFor("ghcr.io/org/My_App@sha256:abc")).toBe("my-app");
    expect(serviceNameFor("123")).toBe("app");
  });
});
