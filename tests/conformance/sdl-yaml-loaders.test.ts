import { generateManifest, generateManifestVersion, type SDLInput } from "@akashnetwork/chain-sdk/web";
import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { checkSdl } from "@/lib/sdl";
import { parseYamlDocument } from "@/lib/sdl/yaml-document";

/**
 * Akash Console reads SDLs with js-yaml and Akash's Go tools with yaml.v3; both expand `<<` merge
 * keys and refuse tags they do not know. An SDL written with anchors and merges must get the
 * version hash chain-sdk computes from what js-yaml reads.
 */
const OPTIONS = { aktPriceMicroUsd: 1_000_000n };

const WITH_MERGES = `version: "2.0"
services:
  web: &service
    image: nginx:1.27
    env:
      - MODE=web
    expose:
      - port: 80
        as: 80
        to:
          - global: true
  worker:
    <<: *service
    env:
      - MODE=worker
    expose: []
  trainer:
    <<: *service
    image: pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime
profiles:
  compute:
    small:
      resources: &small
        cpu: &cpu { units: 1 }
        memory: { size: 2Gi }
        storage: { size: 10Gi }
    gpu:
      resources:
        <<: *small
        cpu: { <<: *cpu, units: 8 }
        gpu:
          units: 1
          attributes:
            vendor:
              nvidia:
                - model: h100
  placement:
    dcloud:
      attributes: &where { region: us-west, tier: community }
      pricing:
        small: &price { denom: uact, amount: 100 }
        gpu: { <<: *price, amount: 3000 }
    backup:
      attributes: { <<: [*where], region: eu-central }
      pricing:
        small: *price
deployment:
  web:
    dcloud: { profile: small, count: 2 }
    backup: { profile: small, count: 1 }
  worker:
    dcloud: { profile: small, count: 1 }
  trainer:
    dcloud: { profile: gpu, count: 1 }
`;

async function versionFromJsYaml(text: string): Promise<string> {
  const akash = generateManifest(load(text) as SDLInput);
  if (!akash.ok) throw new Error(`chain-sdk refused what js-yaml read: ${JSON.stringify(akash.value)}`);
  return Buffer.from(await generateManifestVersion(akash.value.groups)).toString("hex");
}

describe("SDLs with YAML anchors and merge keys", () => {
  it("get the manifest version chain-sdk computes from js-yaml's reading", async () => {
    const result = await checkSdl(WITH_MERGES, OPTIONS);
    expect(result.valid ? [] : result.errors).toEqual([]);
    if (!result.valid) return;
    expect(result.manifestVersion).toBe(await versionFromJsYaml(WITH_MERGES));
    expect(result.groups.map((group) => [group.name, group.requirement.region])).toEqual([
      ["backup", "eu-central"],
      ["dcloud", "us-west"],
    ]);
    const gpuUnit = result.groups[1]!.requirement.resources;
    expect(gpuUnit).toMatchObject({ cpuMillicores: 8000, gpu: { units: 1 } });
    expect(result.services.find((service) => service.name === "worker")).toMatchObject({
      image: "nginx:1.27",
      expose: [],
    });
  });

  it("refuse a tag js-yaml refuses, naming the field", async () => {
    const text = WITH_MERGES.replace("image: nginx:1.27", "image: !image nginx:1.27");
    expect(() => load(text)).toThrow(/unknown tag/);
    const result = await checkSdl(text, OPTIONS);
    expect(result.valid ? [] : result.errors).toEqual([
      expect.objectContaining({ path: "services.web.image", message: expect.stringContaining("!image") }),
    ]);
  });

  it("refuse duplicate keys, as js-yaml does", async () => {
    const text = WITH_MERGES.replace(
      "    image: nginx:1.27\n",
      "    image: nginx:1.27\n    image: nginx:1.28\n",
    );
    expect(() => load(text)).toThrow(/duplicated mapping key/);
    await expect(checkSdl(text, OPTIONS)).resolves.toMatchObject({ valid: false });
  });
});

describe("YAML read as js-yaml reads it", () => {
  it.each([
    ["a %YAML 1.1 directive (YAML 1.2 core schema still)", "%YAML 1.1\n---\na: yes\nb: on\n"],
    [
      "numbers, nulls and booleans",
      "a: 010\nb: 0o10\nc: 0x10\nd: ~\ne: True\nf: 1e3\ng: !!str 1\nh: 1_000\n",
    ],
    ["a merge", "a: &x {b: 1}\nc: {<<: *x, d: 2}\n"],
    ["a merge of a list, explicit keys winning", "a: &x {b: 1}\ny: &y {e: 1}\nc: {<<: [*x, *y], b: 3}\n"],
    ["a merge after an explicit key", "c: {b: 3, <<: {b: 1}}\n"],
    ['a quoted "<<", which is a plain key', "a: {'<<': {b: 1}}\n"],
    ["escapes and block scalars", 'a: "\\x41\\u00e9"\nb: |\n  x\n  y\nc: >-\n  p\n  q\n'],
  ])("reads %s into the same value", (_, text) => {
    const parsed = parseYamlDocument(text);
    expect(parsed.ok && parsed.source.value).toEqual(load(text));
  });

  it.each([
    ["an unknown tag", "a: !foo x\n"],
    ["a standard tag on a value it cannot mean", "a: !!int abc\n"],
    ["an alias with no anchor", "a: *nope\n"],
    ["a key given twice", "a: 1\na: 2\n"],
    ["a merge of a number", "a: {<<: 1}\n"],
  ])("refuses %s, as js-yaml does", (_, text) => {
    expect(() => load(text)).toThrow();
    expect(parseYamlDocument(text)).toMatchObject({ ok: false });
  });

  it.each([
    ['a list as a key (js-yaml makes it the string "a,b")', "? [a, b]\n: 1\n"],
    ["YAML 1.1's !!binary", "a: !!binary aGk=\n"],
    ["YAML 1.1's !!timestamp", "a: !!timestamp 2001-12-14\n"],
    ["YAML 1.1's !!set", "a: !!set {x, y}\n"],
  ])("refuses %s, which js-yaml reads into something no SDL field takes", (_, text) => {
    expect(() => load(text)).not.toThrow();
    expect(parseYamlDocument(text)).toMatchObject({ ok: false });
  });
});
