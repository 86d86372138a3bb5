import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AgentConfigError, loadAgentConfig } from "./config";

const SIGNING_KEY = `0x${"11".repeat(32)}`;
let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "bidcloud-config-"));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

const sources = (env: { BIDCLOUD_API_KEY?: string } = {}) => ({
  readText: (file: string) => readFile(file, "utf8"),
  env,
});

async function configFile(name: string, text: string): Promise<string> {
  const file = path.join(directory, name);
  await writeFile(file, text);
  return file;
}

async function issuesOf(file: string, env: { BIDCLOUD_API_KEY?: string } = {}) {
  try {
    await loadAgentConfig(file, sources(env));
  } catch (error) {
    if (error instanceof AgentConfigError) return { message: error.message, issues: error.issues };
    throw error;
  }
  throw new Error("the config was accepted");
}

const GOOD_YAML = `
api: http://127.0.0.1:3000/api/v1/
apiKey: bc_from_file
signingKey: ${SIGNING_KEY}
heartbeatSeconds: 5
pricing:
  gpu: { H100: "2.40", a100: 1.30, "*": "1.00" }
  cpuCore: "0.02"
  memoryGiB: "0.005"
  storageGiB: "0.0002"
  floor: "0.10"
  margins:
    - { when: { minGpus: 4 }, multiply: "0.95" }
    - { when: { region: us-east, gpuModel: [H100, a100] }, multiply: "1.1" }
  command: ./price.sh
`;

describe("loadAgentConfig", () => {
  it("reads a YAML file: prices as micro-USD, defaults filled, paths relative to the file", async () => {
    const config = await loadAgentConfig(await configFile("good.yaml", GOOD_YAML), sources());
    expect(config.api).toBe("http://127.0.0.1:3000/api/v1");
    expect(config.apiKey).toBe("bc_from_file");
    expect(config.signingKey).toBe(SIGNING_KEY);
    expect(config.runtime).toEqual({ kind: "local", host: "127.0.0.1", publicHost: "127.0.0.1" });
    expect(config.heartbeatSeconds).toBe(5);
    expect(config.resyncSeconds).toBe(30);
    expect(config.pricing.gpu).toEqual(
      new Map([
        ["h100", 2_400_000n],
        ["a100", 1_300_000n],
      ]),
    );
    expect(config.pricing.gpuFallback).toBe(1_000_000n);
    expect(config.pricing.cpuCore).toBe(20_000n);
    expect(config.pricing.memoryGiB).toBe(5_000n);
    expect(config.pricing.storageGiB).toBe(200n);
    expect(config.pricing.floor).toBe(100_000n);
    expect(config.pricing.margins).toEqual([
      { when: { minGpus: 4 }, multiplyPpm: 950_000n },
      { when: { region: "us-east", gpuModels: ["h100", "a100"] }, multiplyPpm: 1_100_000n },
    ]);
    expect(config.pricing.command).toEqual(["./price.sh"]);
    expect(config.pricing.commandCwd).toBe(directory);
  });

  it("reads JSON, key files next to the config, and a kubernetes runtime", async () => {
    await writeFile(path.join(directory, "api-key"), "bc_in_a_file\n");
    await writeFile(path.join(directory, "signing-key"), `${SIGNING_KEY}\n`);
    const file = await configFile(
      "good.json",
      JSON.stringify({
        api: "https://market.example/api/v1",
        apiKeyFile: "api-key",
        signingKeyFile: "./signing-key",
        runtime: { kind: "kubernetes", ingressDomain: "apps.example.com", kubeconfig: "kube/config" },
        pricing: { command: ["./price.sh", "--fast"] },
      }),
    );
    const config = await loadAgentConfig(file, sources());
    expect(config.apiKey).toBe("bc_in_a_file");
    expect(config.signingKey).toBe(SIGNING_KEY);
    expect(config.runtime).toEqual({
      kind: "kubernetes",
      ingressDomain: "apps.example.com",
      kubeconfig: path.join(directory, "kube/config"),
    });
    expect(config.pricing.gpu.size).toBe(0);
  });

  it("names bad Kubernetes runtime options under runtime", async () => {
    const file = await configFile(
      "bad-kube.yaml",
      `api: http://localhost:3000/api/v1\napiKey: k\nsigningKey: "${SIGNING_KEY}"\npricing: { gpu: { h100: "1" } }\nruntime: { kind: kubernetes, ingressDomain: "Not A Domain", namespacePrefix: "-x" }\n`,
    );
    const { issues } = await issuesOf(file);
    expect(issues.map((issue) => issue.path)).toEqual(["runtime.ingressDomain", "runtime.namespacePrefix"]);
  });

  it("lets BIDCLOUD_API_KEY override the file's key", async () => {
    const config = await loadAgentConfig(
      await configFile("env.yaml", GOOD_YAML),
      sources({ BIDCLOUD_API_KEY: "bc_env" }),
    );
    expect(config.apiKey).toBe("bc_env");
  });

  it("names the file and every bad field", async () => {
    const file = await configFile(
      "bad.yaml",
      `
api: not a url
signingKey: 0x1234
heartbeatSeconds: 0
runtime: { kind: docker }
colour: blue
pricing:
  gpu: { h100: "2.4000001", a100: "-1" }
  margins:
    - { when: { minGPUs: 4 }, multiply: "0" }
`,
    );
    const { message, issues } = await issuesOf(file);
    expect(message).toContain(file);
    const paths = issues.map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "api",
        "heartbeatSeconds",
        "runtime.kind",
        "colour",
        "pricing.gpu.h100",
        "pricing.gpu.a100",
        "pricing.margins.0.when.minGPUs",
        "pricing.margins.0.multiply",
      ]),
    );
    expect(issues.find((issue) => issue.path === "colour")?.message).toBe("is not a known field");
    expect(issues.find((issue) => issue.path === "pricing.gpu.h100")?.message).toContain(
      "at most 6 decimals",
    );
  });

  it("requires the keys, and never echoes a bad signing key", async () => {
    const missing = await issuesOf(
      await configFile(
        "missing.yaml",
        'api: http://localhost:3000/api/v1\npricing: { gpu: { h100: "1" } }\n',
      ),
    );
    expect(missing.issues.map((issue) => issue.path)).toEqual(["apiKey", "signingKey"]);

    const secret = `0x${"ab".repeat(31)}zz`;
    const bad = await issuesOf(
      await configFile(
        "bad-key.yaml",
        `api: http://localhost:3000/api/v1\napiKey: bc_x\nsigningKey: "${secret}"\npricing: { gpu: { h100: "1" } }\n`,
      ),
    );
    expect(bad.issues).toEqual([
      { path: "signingKey", message: "must be a private key: 0x and 64 hex digits" },
    ]);
    expect(bad.message).not.toContain(secret);
  });

  it("requires a GPU price table or a command", async () => {
    const file = await configFile(
      "no-prices.yaml",
      `api: http://localhost:3000/api/v1\napiKey: k\nsigningKey: "${SIGNING_KEY}"\npricing: { cpuCore: "0.01" }\n`,
    );
    expect((await issuesOf(file)).issues).toEqual([
      { path: "pricing.gpu", message: "is required unless pricing.command is set" },
    ]);
  });

  it("reports YAML syntax errors with their line, and an unreadable file", async () => {
    const syntax = await issuesOf(await configFile("syntax.yaml", "api: [1\npricing: 2\n"));
    expect(syntax.issues[0]?.path).toMatch(/^\(line \d+\)$/);
    const unreadable = await issuesOf(path.join(directory, "does-not-exist.yaml"));
    expect(unreadable.issues).toEqual([{ path: "(file)", message: "cannot be read: ENOENT" }]);
  });

  it("names a key file it cannot read", async () => {
    const file = await configFile(
      "key-file.yaml",
      `api: http://localhost:3000/api/v1\napiKeyFile: nowhere\nsigningKey: "${SIGNING_KEY}"\npricing: { gpu: { h100: "1" } }\n`,
    );
    const { issues } = await issuesOf(file);
    expect(issues).toEqual([
      { path: "apiKeyFile", message: `cannot read ${path.join(directory, "nowhere")}: ENOENT` },
    ]);
  });
});
