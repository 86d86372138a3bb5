import {
  generateManifest,
  generateManifestVersion,
  manifestToSortedJSON,
  type SDLInput,
} from "@akashnetwork/chain-sdk/web";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { GiB } from "@/lib/money";
import { checkSdl } from "./check-sdl";
import { MAX_SDL_BYTES } from "./limits";
import type { SdlCheckResult, SdlError } from "./types";

const BASE = `version: "2.0"
services:
  vllm:
    image: vllm/vllm-openai:v0.8.4
    expose:
      - port: 8000
        as: 8000
        to:
          - global: true
    params:
      storage:
        shm:
          mount: /dev/shm
profiles:
  compute:
    vllm:
      resources:
        cpu:
          units: 8
        memory:
          size: 32Gi
        storage:
          - size: 100Gi
          - name: shm
            size: 8Gi
            attributes:
              class: ram
              persistent: false
        gpu:
          units: 1
          attributes:
            vendor:
              nvidia:
                - model: h100
                  ram: 80Gi
                - model: a100
  placement:
    dcloud:
      attributes:
        region: us-west
      pricing:
        vllm:
          denom: uact
          amount: 5000
deployment:
  vllm:
    dcloud:
      profile: vllm
      count: 1
`;

const OPTIONS = { aktPriceMicroUsd: 1_000_000n };

/** The 1-based line of the first line of `text` that contains `needle`. */
function lineWith(text: string, needle: string): number {
  const index = text.split("\n").findIndex((line) => line.includes(needle));
  if (index === -1) throw new Error(`no line contains ${needle}`);
  return index + 1;
}

function replaced(search: string | RegExp, replacement: string, text = BASE): string {
  const next = text.replace(search, replacement);
  if (next === text) throw new Error(`${String(search)} not found`);
  return next;
}

async function errorsOf(text: string): Promise<SdlError[]> {
  const result = await checkSdl(text, OPTIONS);
  if (result.valid) throw new Error("expected the SDL to be refused");
  return result.errors;
}

async function validResult(text: string): Promise<Extract<SdlCheckResult, { valid: true }>> {
  const result = await checkSdl(text, OPTIONS);
  if (!result.valid) throw new Error(`expected a valid SDL, got ${JSON.stringify(result.errors)}`);
  return result;
}

describe("checkSdl on a valid SDL", () => {
  it("returns Akash's manifest, its canonical JSON and its version hash", async () => {
    const result = await validResult(BASE);
    const akash = generateManifest(parse(BASE) as SDLInput);
    if (!akash.ok) throw new Error("chain-sdk refused the base SDL");
    expect(result.manifestJson).toBe(manifestToSortedJSON(akash.value.groups));
    expect(result.manifestVersion).toBe(
      Buffer.from(await generateManifestVersion(akash.value.groups)).toString("hex"),
    );
    expect(result.manifestVersion).toMatch(/^[0-9a-f]{64}$/);
    expect(result.manifest).toEqual(akash.value.groups);
  });

  it("turns the placement group into an order draft", async () => {
    const { groups } = await validResult(BASE);
    expect(groups).toEqual([
      {
        name: "dcloud",
        requirement: {
          resources: {
            gpu: {
              units: 1,
              vendor: "nvidia",
              model: null,
              memoryGiB: null,
              choices: [
                { model: "h100", memoryGiB: 80, interface: null },
                { model: "a100", memoryGiB: null, interface: null },
              ],
            },
            cpuMillicores: 8000,
            memoryBytes: 40n * GiB,
            storageBytes: 100n * GiB,
          },
          count: 1,
          additionalUnits: [],
          region: "us-west",
          attributes: {},
          signedBy: { allOf: [], anyOf: [] },
        },
        maxPricePerHour: 3_000_000n,
        pricing: [{ denom: "uact", amountPerBlock: "5000" }],
      },
    ]);
  });

  it("summarizes each service: image, group, replicas and exposed ports", async () => {
    const { services } = await validResult(BASE);
    expect(services).toEqual([
      {
        name: "vllm",
        image: "vllm/vllm-openai:v0.8.4",
        group: "dcloud",
        count: 1,
        expose: [{ port: 8000, externalPort: 8000, proto: "TCP", global: true }],
      },
    ]);
  });

  it("accepts SDL version 2.1", async () => {
    await expect(checkSdl(replaced('version: "2.0"', 'version: "2.1"'), OPTIONS)).resolves.toMatchObject({
      valid: true,
    });
  });

  it("puts services that share a profile in one unit and other profiles in additional units", async () => {
    const text = `version: "2.0"
services:
  api:
    image: nginx:1.27
    expose:
      - port: 80
        to:
          - global: true
  worker:
    image: nginx:1.27
  trainer:
    image: pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime
    expose:
      - port: 8080
        to:
          - service: api
profiles:
  compute:
    small:
      resources:
        cpu: { units: 1 }
        memory: { size: 1Gi }
        storage: { size: 1Gi }
    gpu:
      resources:
        cpu: { units: 8 }
        memory: { size: 64Gi }
        storage: { size: 200Gi }
        gpu:
          units: 2
          attributes:
            vendor:
              nvidia:
  placement:
    dcloud:
      pricing:
        small: { denom: uact, amount: 10 }
        gpu: { denom: uact, amount: 4000 }
deployment:
  api:
    dcloud: { profile: small, count: 2 }
  worker:
    dcloud: { profile: small, count: 3 }
  trainer:
    dcloud: { profile: gpu, count: 1 }
`;
    const result = await validResult(text);
    const [draft] = result.groups;
    expect(draft!.requirement.resources.gpu).toMatchObject({ units: 2, choices: [] });
    expect(draft!.requirement.count).toBe(1);
    expect(draft!.requirement.additionalUnits).toEqual([
      { resources: expect.objectContaining({ cpuMillicores: 1000, storageBytes: GiB }), count: 5 },
    ]);
    expect(draft!.maxPricePerHour).toBe((4000n + 10n * 5n) * 600n);
    expect(result.services.map((service) => [service.name, service.expose])).toEqual([
      ["api", [{ port: 80, externalPort: 0, proto: "TCP", global: true }]],
      ["trainer", [{ port: 8080, externalPort: 0, proto: "TCP", global: false }]],
      ["worker", []],
    ]);
  });

  it("names a merged unit's fields after the SDL profile", async () => {
    const text = replaced("count: 1", "count: 101");
    expect(await errorsOf(text)).toEqual([
      {
        path: "deployment.vllm.dcloud.count",
        line: lineWith(text, "count: 101"),
        message: expect.stringContaining("at most 100"),
      },
    ]);
  });
});

describe("checkSdl error mapping", () => {
  it("reports malformed YAML with its line", async () => {
    const text = replaced("    image: vllm/vllm-openai:v0.8.4", "    image: [unclosed");
    const errors = await errorsOf(text);
    expect(errors[0]).toMatchObject({ path: "sdl", message: expect.stringMatching(/^is not valid YAML: /) });
    expect(errors[0]!.line).toBeGreaterThanOrEqual(lineWith(text, "image: [unclosed"));
  });

  it("reports duplicate keys as YAML errors, as yaml's parse() would", async () => {
    const text = replaced("    image: vllm", "    image: nginx\n    image: vllm");
    expect(await errorsOf(text)).toEqual([
      {
        path: "sdl",
        line: lineWith(text, "image: vllm"),
        message: "is not valid YAML: Map keys must be unique",
      },
    ]);
  });

  it("refuses several YAML documents", async () => {
    const text = `${BASE}---\nversion: "2.0"\n`;
    expect(await errorsOf(text)).toEqual([
      { path: "sdl", line: lineWith(text, "---"), message: expect.stringContaining("single YAML document") },
    ]);
  });

  it.each([
    ["an empty text", ""],
    ["only comments", "# nothing yet\n"],
  ])("refuses %s as an empty document", async (_, text) => {
    expect(await errorsOf(text)).toEqual([
      { path: "sdl", line: 1, message: expect.stringContaining("is empty") },
    ]);
  });

  it("refuses a document that is not a map", async () => {
    expect(await errorsOf("- just\n- a list\n")).toEqual([
      { path: "sdl", line: 1, message: expect.stringContaining("must be a YAML map") },
    ]);
  });

  it("names an unknown top-level field by its key and line", async () => {
    const text = `${BASE}foo: bar\n`;
    expect(await errorsOf(text)).toEqual([
      { path: "foo", line: lineWith(text, "foo: bar"), message: 'Additional property "foo" is not allowed' },
    ]);
  });

  it("names an unknown service field by its key and line", async () => {
    const text = replaced("    image: vllm", "    restart: always\n    image: vllm");
    expect(await errorsOf(text)).toEqual([
      {
        path: "services.vllm.restart",
        line: lineWith(text, "restart: always"),
        message: 'Additional property "restart" is not allowed',
      },
    ]);
  });

  it("names a missing required field under its parent's line", async () => {
    const text = replaced("    image: vllm/vllm-openai:v0.8.4\n", "");
    expect(await errorsOf(text)).toEqual([
      {
        path: "services.vllm.image",
        line: lineWith(text, "  vllm:"),
        message: 'Missing required field: "image"',
      },
    ]);
  });

  it("names a deployment's missing compute profile", async () => {
    const text = replaced("profile: vllm", "profile: llm");
    const errors = await errorsOf(text);
    expect(errors).toContainEqual({
      path: "profiles.compute.llm",
      line: lineWith(text, "  compute:"),
      message: 'The compute requirements for the "llm" profile are not defined in the "compute" section',
    });
    expect(errors.map((error) => error.path)).toContain("profiles.placement.dcloud.pricing.llm");
  });

  it("names a service that no deployment runs", async () => {
    const text = replaced("deployment:\n  vllm:", "deployment:\n  other:");
    expect(await errorsOf(text)).toEqual([
      {
        path: "deployment.vllm",
        line: lineWith(text, "deployment:"),
        message: 'Service "vllm" is not defined at "/deployment" section',
      },
    ]);
  });

  it("names a GPU without vendor attributes", async () => {
    const text = replaced(/ {10}attributes:\n {12}vendor:\n[\s\S]*?- model: a100\n/, "");
    const errors = await errorsOf(text);
    expect(errors.map((error) => [error.path, error.line])).toEqual([
      ["profiles.compute.vllm.resources.gpu.attributes", lineWith(text, "gpu:")],
      ["profiles.compute.vllm.resources.gpu.attributes.vendor", lineWith(text, "gpu:")],
    ]);
  });

  it("gives one message for a negative CPU count, not one per schema branch", async () => {
    const text = replaced("units: 8", "units: -2");
    expect(await errorsOf(text)).toEqual([
      {
        path: "profiles.compute.vllm.resources.cpu.units",
        line: lineWith(text, "units: -2"),
        message: '"units" must be greater than 0',
      },
    ]);
  });

  it("refuses a zero CPU string with a message about zero", async () => {
    expect(await errorsOf(replaced("units: 8", 'units: "0m"'))).toEqual([
      expect.objectContaining({
        path: "profiles.compute.vllm.resources.cpu.units",
        message: '"units" must be greater than 0',
      }),
    ]);
  });

  it("merges the type errors of a value that fits no branch", async () => {
    expect(await errorsOf(replaced("units: 8", "units: true"))).toEqual([
      expect.objectContaining({
        path: "profiles.compute.vllm.resources.cpu.units",
        message: '"units" should be a string or a number',
      }),
    ]);
  });

  it("reports a wrong type once, without the branch noise", async () => {
    const text = replaced(
      "      attributes:\n        region: us-west",
      "      attributes:\n        - region: us-west",
    );
    expect(await errorsOf(text)).toEqual([
      {
        path: "profiles.placement.dcloud.attributes",
        line: lineWith(text, "- region: us-west") - 1,
        message: '"attributes" should be an object',
      },
    ]);
  });

  it("names a size chain-sdk cannot read instead of failing", async () => {
    const text = replaced("size: 32Gi", 'size: "32 gigs"');
    expect(await errorsOf(text)).toEqual([
      {
        path: "profiles.compute.vllm.resources.memory.size",
        line: lineWith(text, "32 gigs"),
        message: expect.stringContaining('like "512Mi"'),
      },
    ]);
  });

  it("refuses an absurd CPU count with the market's limit", async () => {
    const text = replaced("units: 8", "units: 100000");
    expect(await errorsOf(text)).toEqual([
      {
        path: "profiles.compute.vllm.resources.cpu.units",
        line: lineWith(text, "units: 100000"),
        message: '"units" must be at most 1024 CPUs per replica',
      },
    ]);
  });

  it("refuses absurd memory with the market's limit", async () => {
    const text = replaced("size: 32Gi", "size: 100Ti");
    expect(await errorsOf(text)).toEqual([
      {
        path: "profiles.compute.vllm.resources.memory.size",
        line: lineWith(text, "size: 100Ti"),
        message: '"size" must be at most 64 TiB per replica',
      },
    ]);
  });

  it("refuses absurd storage with the market's limit", async () => {
    const text = replaced("size: 100Gi", "size: 5Pi");
    expect(await errorsOf(text)).toEqual([
      expect.objectContaining({
        path: "profiles.compute.vllm.resources.storage.0.size",
        line: lineWith(text, "size: 5Pi"),
      }),
    ]);
  });

  it("refuses an absurd GPU count with the market's limit", async () => {
    const text = replaced("units: 1\n", "units: 1000\n");
    expect(await errorsOf(text)).toEqual([
      {
        path: "profiles.compute.vllm.resources.gpu.units",
        line: lineWith(text, "units: 1000"),
        message: '"units" must be at most 64 GPUs per replica',
      },
    ]);
  });

  it("refuses an absurd replica count with the market's limit", async () => {
    const text = replaced("count: 1", "count: 5000");
    expect(await errorsOf(text)).toEqual([
      expect.objectContaining({ path: "deployment.vllm.dcloud.count", line: lineWith(text, "count: 5000") }),
    ]);
  });

  it("refuses a denom the market does not price, naming the field", async () => {
    const text = replaced("denom: uact", `denom: ibc/${"A".repeat(64)}`);
    expect(await errorsOf(text)).toEqual([
      expect.objectContaining({
        path: "profiles.placement.dcloud.pricing.vllm.denom",
        line: lineWith(text, "denom:"),
      }),
    ]);
  });

  it("refuses a price of zero, naming the amount", async () => {
    const text = replaced("amount: 5000", "amount: 0");
    expect(await errorsOf(text)).toEqual([
      expect.objectContaining({
        path: "profiles.placement.dcloud.pricing.vllm.amount",
        line: lineWith(text, "amount: 0"),
      }),
    ]);
  });

  it("sorts errors by line", async () => {
    const text = replaced(
      "units: 8",
      "units: -1",
      replaced("    image: vllm", "    restart: always\n    image: vllm"),
    );
    const errors = await errorsOf(`${text}foo: 1\n`);
    expect(errors.map((error) => error.path)).toEqual([
      "services.vllm.restart",
      "profiles.compute.vllm.resources.cpu.units",
      "foo",
    ]);
  });

  it("refuses an alias bomb quickly with a clear message", async () => {
    const levels = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    const bomb = levels
      .map((name, index) =>
        index === 0
          ? `${name}: &${name} ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]`
          : `${name}: &${name} [${Array(9)
              .fill(`*${levels[index - 1]}`)
              .join(",")}]`,
      )
      .join("\n");
    const started = performance.now();
    const errors = await errorsOf(`${bomb}\n`);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(errors).toEqual([{ path: "sdl", line: 2, message: expect.stringContaining("alias") }]);
  });

  it("refuses deeply nested brackets before the parser recurses into them", async () => {
    const depth = 100_000;
    const errors = await errorsOf(`version: ${"[".repeat(depth)}${"]".repeat(depth)}\n`);
    expect(errors).toEqual([{ path: "sdl", line: 1, message: expect.stringContaining("nests brackets") }]);
  });

  it("refuses more than 1 MiB before parsing, counting UTF-8 bytes", async () => {
    // Fewer characters than the limit, but "é" is 2 bytes in UTF-8.
    const padding = "é".repeat(MAX_SDL_BYTES / 2);
    const errors = await errorsOf(`${BASE}#${padding}`);
    expect(errors).toEqual([{ path: "sdl", line: 1, message: expect.stringContaining("1 MiB") }]);
    const fits = `${BASE}#${"x".repeat(MAX_SDL_BYTES - BASE.length - 1)}`;
    await expect(checkSdl(fits, OPTIONS)).resolves.toMatchObject({ valid: true });
  });
});

describe("checkSdl before storage", () => {
  it("refuses NUL characters, which PostgreSQL cannot store, naming the field", async () => {
    const text = replaced("image: vllm/vllm-openai:v0.8.4", 'image: "vllm/vllm-openai\\0:v0.8.4"');
    expect(await errorsOf(text)).toEqual([
      {
        path: "services.vllm.image",
        line: lineWith(text, "image:"),
        message: '"image" must not contain NUL characters',
      },
    ]);
  });

  it("lower-cases the region and holds placement attributes to the market's rules", async () => {
    const upper = await validResult(replaced("region: us-west", "region: US-West"));
    expect(upper.groups[0]!.requirement.region).toBe("us-west");

    const text = replaced(
      "region: us-west",
      `region: us-west\n        "bad key!": x\n        tier: ${"x".repeat(200)}`,
    );
    expect(await errorsOf(text)).toEqual([
      {
        path: "profiles.placement.dcloud.attributes.bad key!",
        line: lineWith(text, "bad key!"),
        message: expect.stringContaining("is not a valid attribute name"),
      },
      {
        path: "profiles.placement.dcloud.attributes.tier",
        line: lineWith(text, "tier:"),
        message: '"tier" must be at most 128 characters',
      },
    ]);
  });
});
