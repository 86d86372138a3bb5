import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { checkSdl } from "@/lib/sdl";
import { fixtureText } from "./fixtures";

/**
 * Every field of real SDLs replaced by values of other types (and every map given an unknown
 * key): checkSdl must answer each with errors a person can act on — never throw, never pass on
 * chain-sdk's internal failures ("Cannot read properties of undefined (reading 'type')").
 */

/** The parts of the SDL the gallery templates below leave out: a leased IP, HTTP options, credentials. */
const WITH_ENDPOINTS = `version: "2.0"
endpoints:
  myip:
    kind: ip
services:
  web:
    image: nginx:1.27
    credentials: { host: docker.io, username: me, password: secret-password }
    expose:
      - port: 80
        as: 80
        http_options: { max_body_size: 1024, next_cases: [error, timeout] }
        to:
          - global: true
            ip: myip
profiles:
  compute:
    web:
      resources:
        cpu: { units: 1, attributes: { arch: amd64 } }
        memory: { size: 1Gi }
        storage: { size: 1Gi }
  placement:
    dcloud:
      attributes: { region: us-west }
      signedBy: { anyOf: [akash1365yvmc4s7awdyj3n2sav7xfx76adc6dnmlx63] }
      pricing:
        web: { denom: uact, amount: 100 }
deployment:
  web:
    dcloud: { profile: web, count: 1 }
`;

const SDLS: Array<[string, string]> = [
  ["DeepSeek-Janus_deploy.yaml", fixtureText("DeepSeek-Janus_deploy.yaml")],
  ["an SDL with an IP endpoint", WITH_ENDPOINTS],
];
const REPLACEMENTS: unknown[] = [true, 7, "x", null, [], { foo: 1 }, [{ foo: 1 }]];
const INTERNAL = /Cannot read|undefined|is not a function|Invalid size string|TypeError|ReferenceError/;

type Path = Array<string | number>;

function pathsOf(value: unknown, at: Path = []): Path[] {
  if (value === null || typeof value !== "object") return [at];
  const children = Array.isArray(value)
    ? value.flatMap((item, index) => pathsOf(item, [...at, index]))
    : Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...at, key]));
  return [at, ...children];
}

function withValueAt(document: unknown, at: Path, value: unknown): unknown {
  if (at.length === 0) return value;
  const copy = structuredClone(document) as Record<string | number, unknown>;
  let parent = copy;
  for (const segment of at.slice(0, -1)) parent = parent[segment] as Record<string | number, unknown>;
  parent[at.at(-1)!] = value;
  return copy;
}

function valueAt(document: unknown, at: Path): unknown {
  return at.reduce<unknown>((node, segment) => (node as Record<string | number, unknown>)[segment], document);
}

function mutations(document: unknown): Array<{ label: string; document: unknown }> {
  return pathsOf(document).flatMap((at) => {
    const name = at.join(".") || "(document)";
    const replaced = REPLACEMENTS.map((value) => ({
      label: `${name} = ${JSON.stringify(value)}`,
      document: withValueAt(document, at, value),
    }));
    const current = valueAt(document, at);
    const isMap = typeof current === "object" && current !== null && !Array.isArray(current);
    return isMap
      ? [...replaced, { label: `${name}.foo = 1`, document: withValueAt(document, [...at, "foo"], 1) }]
      : replaced;
  });
}

describe("checkSdl on mutated gallery SDLs", () => {
  it.each(SDLS)("names fields in plain words for every mutation of %s", async (_, text) => {
    const cases = mutations(parse(text));
    expect(cases.length).toBeGreaterThan(100);
    const leaks: string[] = [];
    for (const { label, document } of cases) {
      const result = await checkSdl(stringify(document), { aktPriceMicroUsd: 1_000_000n });
      if (result.valid) continue;
      for (const error of result.errors) {
        if (INTERNAL.test(error.message)) leaks.push(`${label}: ${error.path} ${error.message}`);
      }
    }
    expect(leaks).toEqual([]);
  });
});
