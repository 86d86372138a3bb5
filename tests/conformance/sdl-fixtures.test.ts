import { describe, expect, it } from "vitest";
import { load } from "js-yaml";
import { parse } from "yaml";
import { checkSdl } from "@/lib/sdl";
import { parseYamlDocument } from "@/lib/sdl/yaml-document";
import { fixtureExpectations, fixtureFiles, fixtureText, type FixtureExpectation } from "./fixtures";

/**
 * Conformance with Akash over its public template gallery: the same SDLs are accepted, with the
 * same placement groups and manifest version (the hash that goes on chain), and the rejected
 * ones are rejected naming the field Akash names.
 */
const expectations = fixtureExpectations();
const valid = expectations.filter(
  (entry): entry is Extract<FixtureExpectation, { valid: true }> => entry.valid,
);
const invalid = expectations.filter(
  (entry): entry is Extract<FixtureExpectation, { valid: false }> => !entry.valid,
);
const OPTIONS = { aktPriceMicroUsd: 1_000_000n };

/**
 * The field each of Akash's messages is about, as a dotted path: `"x" at "/a/b" …` → a.b.x,
 * `Additional property "x" is not allowed at "/a"` → a.x, `"x" should be …` → x. Null for YAML
 * syntax errors, which name no field.
 */
function fieldOf(akashMessage: string): string | null {
  const additional = /^Additional property "([^"]+)" is not allowed(?: at "([^"]*)")?/.exec(akashMessage);
  const field = /^"([^"]+)"(?: at "([^"]*)")? /.exec(akashMessage);
  const match = additional ?? field;
  if (!match) return null;
  const [, name, pointer = ""] = match;
  return [...pointer.split("/").filter(Boolean), name].join(".");
}

describe("Akash template gallery", () => {
  it("has an expectation for every fixture file", () => {
    expect(expectations.map((entry) => entry.file).sort()).toEqual(fixtureFiles().sort());
    expect(valid.length).toBeGreaterThan(0);
    expect(invalid.length).toBeGreaterThan(0);
  });

  it.each(valid.map((entry) => [entry.file, entry] as const))(
    "accepts %s with Akash's groups and manifest version",
    async (file, expected) => {
      const result = await checkSdl(fixtureText(file), OPTIONS);
      expect(result.valid ? [] : result.errors).toEqual([]);
      if (!result.valid) return;
      expect(result.groups).toHaveLength(expected.groups);
      expect(result.manifest).toHaveLength(expected.groups);
      expect(result.manifestVersion).toBe(expected.manifestVersion);
    },
  );

  it.each(invalid.map((entry) => [entry.file, entry] as const))(
    "rejects %s naming the fields Akash names",
    async (file, expected) => {
      const result = await checkSdl(fixtureText(file), OPTIONS);
      expect(result.valid).toBe(false);
      if (result.valid) return;
      expect(result.errors.length).toBeGreaterThan(0);
      for (const error of result.errors) expect(error.line).toBeGreaterThanOrEqual(1);
      const paths = result.errors.map((error) => error.path);
      const fields = expected.akashErrors.map(fieldOf);
      for (const field of fields) expect(paths).toContain(field ?? "sdl");
    },
  );

  it.each(expectations.map((entry) => [entry.file] as const))(
    "reads %s into the same value as yaml's parse() with merge keys, and as js-yaml (Akash Console)",
    (file) => {
      const text = fixtureText(file);
      const parsed = parseYamlDocument(text);
      let reference: unknown;
      try {
        reference = parse(text, { merge: true });
      } catch {
        expect(parsed.ok).toBe(false);
        return;
      }
      expect(parsed.ok && parsed.source.value).toEqual(reference);
      expect(parsed.ok && parsed.source.value).toEqual(load(text));
    },
  );
});
