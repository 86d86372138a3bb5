import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { checkSdl } from "../check-sdl";
import { TEMPLATES } from "./index";

const GPU_MODELS = new Set(["h100", "a100", "l40s", "rtx4090"]);

describe("SDL templates", () => {
  it("offers at least five, with unique slugs", () => {
    expect(TEMPLATES.length).toBeGreaterThanOrEqual(5);
    expect(new Set(TEMPLATES.map((template) => template.slug)).size).toBe(TEMPLATES.length);
  });

  it.each(TEMPLATES.map((template) => [template.slug, template] as const))(
    "%s passes checkSdl",
    async (_, template) => {
      const result = await checkSdl(template.sdl, { aktPriceMicroUsd: 1_000_000n });
      expect(result.valid ? [] : result.errors).toEqual([]);
      if (!result.valid) return;
      const [group] = result.groups;
      expect(group!.requirement.signedBy).toEqual({ allOf: [], anyOf: [] });
      expect(group!.requirement.resources.gpu.units).toBeGreaterThan(0);
      expect(group!.requirement.resources.gpu.choices.length).toBeGreaterThan(0);
      for (const choice of group!.requirement.resources.gpu.choices)
        expect(GPU_MODELS).toContain(choice.model);
      expect(group!.pricing.every((price) => price.denom === "uact")).toBe(true);
      // Sensible for one GPU: between $0.10 and $10 per hour.
      expect(group!.maxPricePerHour).toBeGreaterThanOrEqual(100_000n);
      expect(group!.maxPricePerHour).toBeLessThanOrEqual(10_000_000n);
      expect(result.services.some((service) => service.expose.some((port) => port.global))).toBe(true);
    },
  );

  it.each([
    ["vllm-llama-3-1-8b-instruct", "vllm/vllm-openai:", 8000],
    ["ollama", "ollama/ollama:", 11434],
    ["jupyter-pytorch", "quay.io/jupyter/pytorch-notebook:cuda", 8888],
    ["whisper-asr", "onerahmet/openai-whisper-asr-webservice:latest-gpu", 9000],
    ["comfyui", "comfyui", 8080],
  ])("%s runs the expected image and port", (slug, image, port) => {
    const template = TEMPLATES.find((candidate) => candidate.slug === slug);
    const doc = parse(template!.sdl) as {
      services: Record<string, { image: string; expose: Array<{ port: number }> }>;
    };
    const [service] = Object.values(doc.services);
    expect(service!.image).toContain(image);
    expect(service!.expose.map((expose) => expose.port)).toContain(port);
  });
});
