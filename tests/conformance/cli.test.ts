import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fixtureExpectations, FIXTURES_DIR } from "./fixtures";

/** The installed command, run as a user would: node bin/bidcloud.mjs … */
const BIN = path.resolve(process.cwd(), "bin/bidcloud.mjs");

function bidcloud(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const expectations = fixtureExpectations();
const validFixture = expectations.find((entry) => entry.valid && entry.file === "Llama-3.1-8B_deploy.yaml");
const invalidFixture = expectations.find((entry) => !entry.valid && entry.file === "minio_deploy.yml");

describe("bidcloud sdl check", () => {
  it("prints one JSON object with Akash's manifest version for a valid SDL and exits 0", () => {
    if (!validFixture?.valid) throw new Error("fixture missing");
    const { status, stdout } = bidcloud([
      "sdl",
      "check",
      path.join(FIXTURES_DIR, validFixture.file),
      "--json",
    ]);
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      valid: true,
      groups: validFixture.groups,
      manifestVersion: validFixture.manifestVersion,
      errors: [],
    });
  });

  it("prints the errors with paths and lines for an invalid SDL and exits 1", () => {
    const file = path.join(FIXTURES_DIR, invalidFixture!.file);
    const json = bidcloud(["sdl", "check", file, "--json"]);
    expect(json.status).toBe(1);
    const output = JSON.parse(json.stdout) as { valid: boolean; manifestVersion: null; errors: unknown[] };
    expect(output).toMatchObject({ valid: false, groups: 0, manifestVersion: null });
    expect(output.errors).toContainEqual({
      path: "services.minio.cmd",
      line: expect.any(Number),
      message: expect.any(String),
    });

    const human = bidcloud(["sdl", "check", file]);
    expect(human.status).toBe(1);
    expect(human.stdout).toMatch(
      new RegExp(`${file.replaceAll(".", "\\.")}:\\d+  services\\.minio\\.cmd  Additional property "cmd"`),
    );
  });

  it("summarizes a valid SDL for people", () => {
    const { status, stdout } = bidcloud([
      "sdl",
      "check",
      path.join(FIXTURES_DIR, "Llama-3.1-8B_deploy.yaml"),
    ]);
    expect(status).toBe(0);
    expect(stdout).toContain(validFixture!.valid ? validFixture!.manifestVersion : "");
    expect(stdout).toContain("1 GPU (h100 | a100 | rtxa6000)");
  });

  it("exits 2 with the usage on stderr for a missing file", () => {
    const { status, stdout, stderr } = bidcloud(["sdl", "check", "does-not-exist.yaml", "--json"]);
    expect(status).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("cannot read does-not-exist.yaml");
    expect(stderr).toContain("Usage: bidcloud sdl check");
  });

  it.each([
    ["no file", ["sdl", "check"]],
    ["an unknown flag", ["sdl", "check", "x.yaml", "--frobnicate"]],
    ["an unknown command", ["launch"]],
    ["no command", []],
  ])("exits 2 with the usage on stderr for %s", (_, args) => {
    const { status, stderr } = bidcloud(args);
    expect(status).toBe(2);
    expect(stderr).toContain("Usage: bidcloud");
  });

  it("exits 2 when AKT_PRICE_USD is not a price", () => {
    const file = path.join(FIXTURES_DIR, "comfyui_deploy.yaml");
    const { status, stderr } = bidcloud(["sdl", "check", file], { AKT_PRICE_USD: "cheap" });
    expect(status).toBe(2);
    expect(stderr).toContain("AKT_PRICE_USD");
  });

  it("prints help on stdout and exits 0", () => {
    for (const args of [["help"], ["--help"]]) {
      const { status, stdout } = bidcloud(args);
      expect(status).toBe(0);
      expect(stdout).toContain("sdl check <file>");
      expect(stdout).toContain("deploy <file>");
    }
  });
});
