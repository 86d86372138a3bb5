import { generateManifest, generateManifestVersion, type SDLInput } from "@akashnetwork/chain-sdk/web";
import fc from "fast-check";
import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { checkSdl } from "@/lib/sdl";

/**
 * Random valid SDLs (services, profiles, placements, counts, prices, written in varying YAML
 * styles): checkSdl must accept each and give exactly chain-sdk's manifest version and groups,
 * i.e. the wrapper (parsing with positions, limits, order drafts) never changes the document.
 */
const SERVICE_NAMES = ["web", "api", "worker", "llm", "db", "cache"];
const PROFILE_NAMES = ["small", "large", "gpu", "trainer"];
const PLACEMENT_NAMES = ["dcloud", "akash", "westcoast", "eu"];
const GPU_MODELS = ["h100", "a100", "l40s", "rtx4090", "rtxa6000"];

const cpuUnits = fc.oneof(
  fc.integer({ min: 1, max: 64 }),
  fc.constantFrom(0.1, 0.25, 0.5, 1.5, 1.1),
  fc.integer({ min: 10, max: 64_000 }).map((millicores) => `${millicores}m`),
);
const size = (units: string[], max: number) =>
  fc.tuple(fc.integer({ min: 1, max }), fc.constantFrom(...units)).map(([value, unit]) => `${value}${unit}`);

const gpu = fc.oneof(
  fc.constant(undefined),
  fc.constant({ units: 0 }),
  fc.record({
    units: fc.integer({ min: 1, max: 8 }),
    attributes: fc.record({
      vendor: fc.record({
        nvidia: fc.oneof(
          fc.constant(null),
          fc.uniqueArray(
            fc.record(
              {
                model: fc.constantFrom(...GPU_MODELS),
                ram: fc.constantFrom("24Gi", "40Gi", "48Gi", "80Gi"),
                interface: fc.constantFrom("pcie", "sxm"),
              },
              { requiredKeys: ["model"] },
            ),
            { minLength: 1, maxLength: 3, selector: (choice) => choice.model },
          ),
        ),
      }),
    }),
  }),
);

const storage = fc.oneof(
  size(["Mi", "Gi"], 500).map((volumeSize) => ({ size: volumeSize })),
  fc
    .tuple(size(["Gi"], 500), fc.boolean(), size(["Mi", "Gi"], 8))
    .map(([main, withRam, shm]) => [
      { size: main },
      ...(withRam ? [{ name: "shm", size: shm, attributes: { class: "ram", persistent: false } }] : []),
    ]),
);

const profile = fc.record({
  resources: fc.record(
    {
      cpu: fc.record({ units: cpuUnits }),
      memory: fc.record({ size: size(["Mi", "Gi"], 256) }),
      storage,
      gpu,
    },
    { requiredKeys: ["cpu", "memory", "storage"] },
  ),
});

const price = fc.oneof(
  fc.record({ denom: fc.constant("uact"), amount: fc.integer({ min: 1, max: 1_000_000 }) }),
  fc.record({
    denom: fc.constantFrom("uact", "uakt"),
    amount: fc.integer({ min: 1, max: 100_000 }).map((n) => `${n}.5`),
  }),
  fc.record({
    denom: fc.constant("ibc/170C677610AC31DF0904FFE09CD3B5C657492170E7E52372E48756B71E56F2F1"),
    amount: fc.integer({ min: 100, max: 100_000 }),
  }),
);

const sdl = fc
  .record({
    services: fc.uniqueArray(fc.constantFrom(...SERVICE_NAMES), { minLength: 1, maxLength: 4 }),
    profiles: fc.uniqueArray(fc.constantFrom(...PROFILE_NAMES), { minLength: 1, maxLength: 3 }),
    placements: fc.uniqueArray(fc.constantFrom(...PLACEMENT_NAMES), { minLength: 1, maxLength: 2 }),
    version: fc.constantFrom("2.0", "2.1"),
    region: fc.option(fc.constantFrom("us-west", "eu-central")),
    auditor: fc.option(fc.constant("akash1365yvmc4s7awdyj3n2sav7xfx76adc6dnmlx63")),
  })
  .chain(({ services, profiles, placements, version, region, auditor }) =>
    fc.record({
      version: fc.constant(version),
      services: fc.record(
        Object.fromEntries(
          services.map((name) => [
            name,
            fc.record({
              image: fc.constantFrom("nginx:1.27", "vllm/vllm-openai:v0.8.4", "ollama/ollama:latest"),
              env: fc.array(fc.constantFrom("A=1", "B=two", "HF_TOKEN="), { maxLength: 2 }),
              expose: fc.array(
                fc.record({
                  port: fc.integer({ min: 1, max: 65535 }),
                  as: fc.constantFrom(80, 8000, 443),
                  to: fc.constant([{ global: true }]),
                }),
                { maxLength: 2 },
              ),
            }),
          ]),
        ),
      ),
      profiles: fc.record({
        compute: fc.record(Object.fromEntries(profiles.map((name) => [name, profile]))),
        placement: fc.record(
          Object.fromEntries(
            placements.map((name) => [
              name,
              fc.record({
                ...(region ? { attributes: fc.constant({ region, tier: "community" }) } : {}),
                ...(auditor ? { signedBy: fc.constant({ anyOf: [auditor] }) } : {}),
                pricing: fc.record(Object.fromEntries(profiles.map((profileName) => [profileName, price]))),
              }),
            ]),
          ),
        ),
      }),
      deployment: fc.record(
        Object.fromEntries(
          services.map((service) => [
            service,
            fc
              .uniqueArray(fc.constantFrom(...placements), { minLength: 1, maxLength: placements.length })
              .chain((where) =>
                fc.record(
                  Object.fromEntries(
                    where.map((placement) => [
                      placement,
                      fc.record({
                        profile: fc.constantFrom(...profiles),
                        count: fc.integer({ min: 1, max: 5 }),
                      }),
                    ]),
                  ),
                ),
              ),
          ]),
        ),
      ),
    }),
  );

const yamlStyle = fc.record({
  indent: fc.constantFrom(2, 4),
  collectionStyle: fc.constantFrom<"any" | "block" | "flow">("any", "block", "flow"),
  comment: fc.boolean(),
});

describe("checkSdl on random valid SDLs", () => {
  it("gives chain-sdk's manifest version and groups for every one", async () => {
    await fc.assert(
      fc.asyncProperty(sdl, yamlStyle, async (document, style) => {
        const yaml = stringify(document, { indent: style.indent, collectionStyle: style.collectionStyle });
        const text = style.comment ? `# generated\n${yaml}` : yaml;
        const akash = generateManifest(parse(text) as SDLInput);
        if (!akash.ok)
          throw new Error(`generator produced an SDL Akash refuses: ${JSON.stringify(akash.value)}`);
        const expectedVersion = Buffer.from(await generateManifestVersion(akash.value.groups)).toString(
          "hex",
        );

        // Akash Console reads SDLs with js-yaml: the same manifest from what it reads.
        const viaJsYaml = generateManifest(load(text) as SDLInput);
        if (!viaJsYaml.ok) throw new Error("chain-sdk refused what js-yaml read");
        expect(Buffer.from(await generateManifestVersion(viaJsYaml.value.groups)).toString("hex")).toBe(
          expectedVersion,
        );

        const result = await checkSdl(text, { aktPriceMicroUsd: 1_500_000n });
        expect(result.valid ? [] : result.errors).toEqual([]);
        if (!result.valid) return;
        expect(result.manifestVersion).toBe(expectedVersion);
        expect(result.groups).toHaveLength(akash.value.groupSpecs.length);
        expect(result.groups.map((group) => group.name)).toEqual(
          akash.value.groupSpecs.map((spec) => spec.name),
        );
        const units = result.groups.map((group) => 1 + group.requirement.additionalUnits.length);
        expect(units).toEqual(akash.value.groupSpecs.map((spec) => spec.resources.length));
      }),
      { numRuns: 150 },
    );
  });
});
