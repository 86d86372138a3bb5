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
import {
  MAX_PLACEMENT_GROUPS,
  MAX_SDL_BYTES,
  MAX_SDL_ERRORS,
  MAX_UNITS_PER_GROUP,
  MAX_YAML_DEPTH,
} from "./limits";
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
    // "e" is where the expansions pass 10,000 values: 9 aliases of "d", each 820 values.
    expect(errors).toEqual([
      {
        path: "sdl",
        line: 5,
        message: "expands YAML aliases into more than 10000 values; alias bombs are refused",
      },
    ]);
  });

  it("refuses deeply nested brackets before the parser recurses into them", async () => {
    const depth = 100_000;
    const errors = await errorsOf(`version: ${"[".repeat(depth)}${"]".repeat(depth)}\n`);
    expect(errors).toEqual([
      { path: "sdl", line: 1, message: `nests YAML collections more than ${MAX_YAML_DEPTH} levels deep` },
    ]);
  });

  it("refuses more than 256 KiB before parsing, counting UTF-8 bytes", async () => {
    expect(MAX_SDL_BYTES).toBe(256 * 1024);
    // Fewer characters than the limit, but "é" is 2 bytes in UTF-8.
    const padding = "é".repeat(MAX_SDL_BYTES / 2);
    const errors = await errorsOf(`${BASE}#${padding}`);
    expect(errors).toEqual([{ path: "sdl", line: 1, message: expect.stringContaining("256 KiB") }]);
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

  it.each([
    ["a YAML escape", 'image: "vllm/vllm-openai\\uD800:v0.8.4"'],
    ["the text itself", "image: vllm/vllm-openai\uD800:v0.8.4"],
    ["a lone low surrogate", "image: vllm/vllm-openai\uDC00:v0.8.4"],
  ])(
    "refuses an unpaired UTF-16 surrogate in %s, which PostgreSQL would replace, naming the field",
    async (_, image) => {
      const text = replaced("image: vllm/vllm-openai:v0.8.4", image);
      expect(await errorsOf(text)).toEqual([
        {
          path: "services.vllm.image",
          line: lineWith(text, "image:"),
          message: expect.stringContaining('"image" must not contain unpaired UTF-16 surrogates'),
        },
      ]);
    },
  );

  it("refuses NUL and unpaired surrogates in comments too, naming their line", async () => {
    for (const character of ["\u0000", "\uD800"]) {
      const text = replaced("  placement:", `  # note ${character}\n  placement:`);
      expect(await errorsOf(text)).toEqual([
        { path: "sdl", line: lineWith(text, "# note"), message: expect.stringMatching(/^must not contain /) },
      ]);
    }
  });

  it("accepts characters outside the BMP, written or escaped", async () => {
    const text = replaced(
      "image: vllm/vllm-openai:v0.8.4",
      'image: "vllm/vllm-openai:v0.8.4" # 🚀 \\uD83D\\uDE80',
    );
    await expect(checkSdl(text, OPTIONS)).resolves.toMatchObject({ valid: true });
    const escaped = replaced("- port: 8000", '- port: 8000\n        accept: ["\\uD83D\\uDE80.example.com"]');
    await expect(checkSdl(escaped, OPTIONS)).resolves.toMatchObject({ valid: true });
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

/** `count` services each run in `groups` placement groups with its own profile (one unit per service). */
function sdlWithGroups(groups: number, profilesPerGroup: number): string {
  const indices = (count: number) => Array.from({ length: count }, (_, index) => index);
  const services = indices(profilesPerGroup).map((unit) => `  s${unit}:\n    image: nginx:1.27\n`);
  const compute = indices(profilesPerGroup).map(
    (unit) =>
      `    c${unit}:\n      resources: { cpu: { units: 1 }, memory: { size: 1Gi }, storage: { size: 1Gi } }\n`,
  );
  const placement = indices(groups).map(
    (group) =>
      `    p${group}:\n      pricing:\n` +
      indices(profilesPerGroup)
        .map((unit) => `        c${unit}: { denom: uact, amount: 1000 }\n`)
        .join(""),
  );
  const deployment = indices(profilesPerGroup).map(
    (unit) =>
      `  s${unit}:\n` +
      indices(groups)
        .map((group) => `    p${group}: { profile: c${unit}, count: 1 }\n`)
        .join(""),
  );
  return `version: "2.0"\nservices:\n${services.join("")}profiles:\n  compute:\n${compute.join("")}  placement:\n${placement.join("")}deployment:\n${deployment.join("")}`;
}

describe("checkSdl on what would create too few or too many orders", () => {
  it("refuses an SDL without services, which would create a deployment without orders", async () => {
    const text = 'version: "2.0"\nservices: {}\nprofiles:\n  compute: {}\n  placement: {}\ndeployment: {}\n';
    expect(await errorsOf(text)).toEqual([
      { path: "services", line: 2, message: '"services" must define at least one service' },
    ]);
  });

  it("refuses an SDL whose services are placed nowhere", async () => {
    const text = replaced(/deployment:\n[\s\S]*$/, "deployment:\n  vllm: {}\n");
    expect(await errorsOf(text)).toEqual([
      {
        path: "deployment",
        line: lineWith(text, "deployment:"),
        message: '"deployment" must place at least one service in a placement group',
      },
    ]);
  });

  it(`accepts ${MAX_PLACEMENT_GROUPS} placement groups and refuses one more, naming "deployment"`, async () => {
    expect((await validResult(sdlWithGroups(MAX_PLACEMENT_GROUPS, 1))).groups).toHaveLength(20);
    const text = sdlWithGroups(MAX_PLACEMENT_GROUPS + 1, 1);
    expect(await errorsOf(text)).toEqual([
      {
        path: "deployment",
        line: lineWith(text, "deployment:"),
        message:
          '"deployment" uses 21 placement groups; at most 20 are allowed per SDL (each becomes an order)',
      },
    ]);
  });

  it(`accepts ${MAX_UNITS_PER_GROUP} resource units in a group and refuses one more, naming the placement`, async () => {
    const [group] = (await validResult(sdlWithGroups(1, MAX_UNITS_PER_GROUP))).groups;
    expect(group!.requirement.additionalUnits).toHaveLength(19);
    const text = sdlWithGroups(1, MAX_UNITS_PER_GROUP + 1);
    expect(await errorsOf(text)).toEqual([
      {
        path: "profiles.placement.p0",
        line: lineWith(text, "    p0:"),
        message:
          '"p0" runs 21 compute profiles; at most 20 are allowed per placement group (each is a resource unit)',
      },
    ]);
  });
});

describe("checkSdl on sizes and CPUs, read as Akash means them", () => {
  const memoryPath = "profiles.compute.vllm.resources.memory.size";
  const ramVolume = 8n * GiB;

  it.each([
    ["1x", "an unknown unit"],
    ["1Zi", "a unit past exbibytes"],
    ["1.5.5Gi", "two decimal points"],
    ["1Gb", "bits"],
    ["1GiB", "a binary unit with B, which chain-sdk reads as decimal"],
    ["1m", "a lower-case m (milli in Kubernetes, mega in chain-sdk)"],
    ["512", "no unit (chain-sdk cannot read it)"],
    [".5Gi", "no digit before the point"],
  ])('refuses the size "%s" (%s), naming the field', async (size) => {
    const text = replaced("size: 32Gi", `size: "${size}"`);
    expect(await errorsOf(text)).toEqual([
      {
        path: memoryPath,
        line: lineWith(text, size),
        message: '"size" must be a number with a unit, like "512Mi", "20Gi" or "1Ti"',
      },
    ]);
  });

  it("refuses a malformed storage size, naming the volume", async () => {
    const text = replaced("size: 100Gi", "size: 100Gb");
    expect(await errorsOf(text)).toEqual([
      expect.objectContaining({ path: "profiles.compute.vllm.resources.storage.0.size" }),
    ]);
  });

  it.each([
    ["512Mi", 512n * 1024n ** 2n],
    ["1.5Gi", 1536n * 1024n ** 2n],
    ["4gi", 4n * GiB],
    ["40GB", 40n * 1000n ** 3n],
    ["2G", 2n * 1000n ** 3n],
    ["1k", 1000n],
    ["1Ti", 1024n ** 4n],
  ])('reads the size "%s" as %s bytes, as chain-sdk does', async (size, bytes) => {
    const { groups } = await validResult(replaced("size: 32Gi", `size: ${size}`));
    expect(groups[0]!.requirement.resources.memoryBytes).toBe(bytes + ramVolume);
  });

  it.each([
    ['"1abc"', '"units" must be a number of CPUs ("0.5", "2") or of millicores ("500m")'],
    ['"0.00001"', '"units" must be at least 1 millicore ("1m" or 0.001 CPU)'],
    ["0.0001", '"units" must be at least 1 millicore ("1m" or 0.001 CPU)'],
    [
      '"1.5m"',
      '"units" must be a whole number of millicores: CPUs with at most 3 decimals ("0.125") or "125m"',
    ],
    [
      "0.0015",
      '"units" must be a whole number of millicores: CPUs with at most 3 decimals ("0.125") or "125m"',
    ],
  ])("refuses the CPU units %s, naming the field", async (units, message) => {
    const text = replaced("units: 8", `units: ${units}`);
    expect(await errorsOf(text)).toEqual([
      { path: "profiles.compute.vllm.resources.cpu.units", line: lineWith(text, "cpu:") + 1, message },
    ]);
  });

  it.each([
    ['"500m"', 500],
    ["0.5", 500],
    ['"0.125"', 125],
    ["1.1", 1100],
    ['"2"', 2000],
  ])("reads the CPU units %s as %s millicores", async (units, millicores) => {
    const { groups } = await validResult(replaced("units: 8", `units: ${units}`));
    expect(groups[0]!.requirement.resources.cpuMillicores).toBe(millicores);
  });

  it("refuses a GPU count that chain-sdk would cut to a whole number", async () => {
    const text = replaced("units: 1\n", 'units: "1.5"\n');
    expect(await errorsOf(text)).toEqual([
      {
        path: "profiles.compute.vllm.resources.gpu.units",
        line: lineWith(text, '"1.5"'),
        message: '"units" must be a whole number of GPUs',
      },
    ]);
  });
});

describe("checkSdl reads YAML as Akash's loaders do", () => {
  const merged = `version: "2.0"
services:
  web: &web
    image: nginx:1.27
    expose:
      - port: 80
        to:
          - global: true
  api:
    <<: *web
    image: nginx:1.28
profiles:
  compute:
    web: &small
      resources:
        cpu: { units: 1 }
        memory: { size: 1Gi }
        storage: { size: 1Gi }
    api:
      <<: *small
  placement:
    dcloud:
      pricing:
        web: &price { denom: uact, amount: 100 }
        api: *price
deployment:
  web:
    dcloud: { profile: web, count: 1 }
  api:
    dcloud: { profile: api, count: 2 }
`;

  it("expands << merge keys, as js-yaml and yaml.v3 do", async () => {
    const result = await validResult(merged);
    expect(result.services.map((service) => [service.name, service.image, service.expose.length])).toEqual([
      ["api", "nginx:1.28", 1],
      ["web", "nginx:1.27", 1],
    ]);
    const akash = generateManifest(parse(merged, { merge: true }) as SDLInput);
    if (!akash.ok) throw new Error("chain-sdk refused the merged SDL");
    expect(result.manifestVersion).toBe(
      Buffer.from(await generateManifestVersion(akash.value.groups)).toString("hex"),
    );
  });

  it("names a field that came from a merge at the line it is written on", async () => {
    const text = merged.replace("- port: 80", "- port: 70000");
    const errors = await errorsOf(text);
    const line = lineWith(text, "port: 70000");
    expect(errors.filter((error) => error.path.endsWith(".port"))).toEqual([
      expect.objectContaining({ path: "services.web.expose.0.port", line }),
      expect.objectContaining({ path: "services.api.expose.0.port", line }),
    ]);
  });

  it("refuses a tag js-yaml does not know, naming the field", async () => {
    const text = replaced("image: vllm/vllm-openai:v0.8.4", "image: !docker vllm/vllm-openai:v0.8.4");
    expect(await errorsOf(text)).toEqual([
      {
        path: "services.vllm.image",
        line: lineWith(text, "!docker"),
        message: '"image" has the YAML tag !docker, which SDLs do not use; remove it',
      },
    ]);
  });

  it("accepts the standard tags", async () => {
    const text = replaced("image: vllm/vllm-openai:v0.8.4", "image: !!str vllm/vllm-openai:v0.8.4");
    await expect(checkSdl(text, OPTIONS)).resolves.toMatchObject({ valid: true });
  });
});

describe("checkSdl never shows chain-sdk's internal errors", () => {
  it("names a storage volume whose name is not a string", async () => {
    const text = replaced("          - name: shm", "          - name: true");
    const errors = await errorsOf(text);
    expect(errors).toEqual([
      {
        path: "profiles.compute.vllm.resources.storage.1.name",
        line: lineWith(text, "name: true"),
        message: '"name" must be a string, the volume\'s name',
      },
    ]);
  });

  it("names a storage size that is not a string", async () => {
    const text = replaced("size: 100Gi", "size: 100");
    expect(await errorsOf(text)).toEqual([
      expect.objectContaining({
        path: "profiles.compute.vllm.resources.storage.0.size",
        line: lineWith(text, "size: 100"),
      }),
    ]);
  });

  it("names an endpoint that is not { kind: ip }", async () => {
    const text = `${BASE}endpoints:\n  myip:\n    kind: ip\n    port: 80\n`;
    expect(await errorsOf(text)).toContainEqual({
      path: "endpoints.myip.port",
      line: lineWith(text, "    port: 80"),
      message: 'Additional property "port" is not allowed',
    });
  });
});

/** `count` map entries on one line each: "  s0: {image: 1}". */
function servicesWithNumberImages(count: number): string {
  return `services:\n${Array.from({ length: count }, (_, index) => `  s${index}: {image: 1}\n`).join("")}`;
}

/** `prefix` then `unit` repeated to fill `bytes`. */
function filled(prefix: string, unit: string, bytes = MAX_SDL_BYTES): string {
  return prefix + unit.repeat(Math.floor((bytes - prefix.length) / unit.length));
}

/** 60 nested anchored maps around 400 aliases, each nested anchor aliased once: 10 KiB. */
function nestedAnchors(): string {
  const scalars = Array.from({ length: 400 }, (_, index) => `&s${index} v${index}`);
  let tree = `{${Array.from({ length: 400 }, (_, index) => `k${index}: *s${index}`).join(", ")}}`;
  for (let level = 0; level < 60; level++) tree = `&n${level} {x: ${tree}}`;
  const uses = Array.from({ length: 60 }, (_, level) => `*n${level}`);
  return `defs: [${scalars.join(", ")}]\ntree: ${tree}\nuses: [${uses.join(", ")}]\n`;
}

describe("checkSdl on hostile input", () => {
  // Each took from seconds to minutes before (yaml's pretty errors and duplicate-key scan, and
  // quadratic error mapping). The bound guards against a regression; the assertion is the error.
  it.each([
    ['100,000 × "- a: " (500 KB)', () => "services:\n" + "- a: ".repeat(100_000), "is larger than 256 KiB"],
    ['100,000 × "!!str "', () => "a: " + "!!str ".repeat(100_000), "is larger than 256 KiB"],
    ['100,000 × "&a "', () => "a: " + "&a ".repeat(100_000), "is larger than 256 KiB"],
    ["50,000 × sN: {image: 1}", () => servicesWithNumberImages(50_000), "is larger than 256 KiB"],
    ['"- a: " up to the size limit', () => filled("services:\n", "- a: "), "has more than 10000 YAML values"],
    ['"!!str " up to the size limit', () => filled("a: ", "!!str "), "has more than 1000 YAML anchors"],
    ['"&a " up to the size limit', () => filled("a: ", "&a "), "has more than 1000 YAML anchors"],
    [
      "sN: {image: 1} up to the size limit",
      () => servicesWithNumberImages(12_000),
      "has more than 10000 lines",
    ],
    [
      'a flow list of "1," up to the size limit',
      () => filled("a: [", "1,"),
      "has more than 10000 YAML values",
    ],
    ["nested anchors, each aliased", nestedAnchors, "expands YAML aliases into more than 10000 values"],
    ['compact "- - - …" nesting', () => "a:\n" + "- ".repeat(9_000) + "1\n", "nests YAML collections"],
    [
      "4,000 equal keys in one map",
      () => `a: {${Array(4_000).fill("k: 1").join(", ")}}\n`,
      "Map keys must be unique",
    ],
    ['4,990 × "- a: "', () => "services:\n" + "- a: ".repeat(4_990), "is not valid YAML"],
    ["2,400 services with a wrong image", () => servicesWithNumberImages(2_400), ""],
  ])("refuses %s quickly, with at most 50 errors", async (_, text, message) => {
    const started = performance.now();
    const errors = await errorsOf(text());
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.length).toBeLessThanOrEqual(MAX_SDL_ERRORS);
    expect(errors[0]!.message).toContain(message);
  });

  it("names the line where a count passes its limit", async () => {
    const text = Array.from({ length: 1_001 }, (_, index) => `a${index}: &a${index} 1\n`).join("");
    expect(await errorsOf(text)).toEqual([
      {
        path: "sdl",
        line: 1_001,
        message: "has more than 1000 YAML anchors, aliases and tags; SDL files use a few",
      },
    ]);
  });

  it("reports the first 50 errors of thousands, by line", async () => {
    const errors = await errorsOf(`version: "2.0"\n${servicesWithNumberImages(2_400)}`);
    expect(errors).toHaveLength(MAX_SDL_ERRORS);
    expect(errors.map((error) => error.line)).toEqual(
      [...errors.map((error) => error.line)].sort((a, b) => a - b),
    );
    expect(errors).toContainEqual({
      path: "services.s0.image",
      line: 3,
      message: '"image" should be a string',
    });
  });
});
