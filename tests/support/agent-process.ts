import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { generatePrivateKey } from "viem/accounts";

const root = path.resolve(import.meta.dirname, "../..");

/**
 * Writes an agent config (local runtime, a fresh signing key, a price per GPU-hour by model
 * and $0.01 per core) into `dir` and starts `bidcloud agent --config` on it as its own
 * process, as a provider would. BIDCLOUD_API_KEY is not passed on: it would override the key.
 */
export function startAgentProcess(options: {
  dir: string;
  name: string;
  apiBaseUrl: string;
  apiKey: string;
  gpuPrices: Record<string, string>;
  heartbeatSeconds: number;
  floor?: string;
  /** "pipe" (default) collects its output for `output()`; "quiet" keeps only its errors, on this stderr. */
  output?: "pipe" | "quiet";
}): { child: ChildProcess; output: () => string } {
  const configPath = path.join(options.dir, `${options.name}.yaml`);
  const prices = Object.entries(options.gpuPrices).map(([model, price]) => `${model}: "${price}"`);
  writeFileSync(
    configPath,
    [
      `api: ${options.apiBaseUrl}/api/v1`,
      `apiKey: ${options.apiKey}`,
      `signingKey: "${generatePrivateKey()}"`,
      "runtime: { kind: local, host: 127.0.0.1 }",
      `heartbeatSeconds: ${options.heartbeatSeconds}`,
      "pricing:",
      `  gpu: { ${prices.join(", ")} }`,
      '  cpuCore: "0.01"',
      ...(options.floor ? [`  floor: "${options.floor}"`] : []),
    ].join("\n"),
  );
  const quiet = options.output === "quiet";
  const child = spawn(
    process.execPath,
    [path.join(root, "bin/bidcloud.mjs"), "agent", "--config", configPath],
    {
      cwd: root,
      env: { ...process.env, BIDCLOUD_API_KEY: undefined },
      stdio: quiet ? ["ignore", "ignore", "inherit"] : ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}
