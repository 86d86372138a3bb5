import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { generatePrivateKey } from "viem/accounts";
import { parse, stringify } from "yaml";
import { generateApiKey, hashApiKey } from "@/lib/auth/api-key-token";
import { PrismaClient } from "@/lib/db/generated/client";

/**
 * The demo's provider agents: three seeded providers (different GPUs, different prices), each
 * with its own API key and signing key, running the local runtime. Their config files live in
 * the data folder and are reused across starts; a key the database no longer knows (a fresh
 * database) is replaced.
 */
const DEMO_AGENTS = [
  {
    slug: "hopper",
    email: "hopper@demo.bidcloud",
    pricing: {
      gpu: { h100: "2.20" },
      cpuCore: "0.010",
      memoryGiB: "0.002",
      storageGiB: "0.0001",
      floor: "0.50",
    },
  },
  {
    slug: "ampere",
    email: "ampere@demo.bidcloud",
    pricing: {
      gpu: { a100: "1.15" },
      cpuCore: "0.008",
      memoryGiB: "0.002",
      storageGiB: "0.0001",
      floor: "0.30",
      margins: [{ when: { minGpus: 4 }, multiply: "0.92" }],
    },
  },
  {
    slug: "lovelace",
    email: "lovelace@demo.bidcloud",
    pricing: {
      gpu: { l40s: "0.62" },
      cpuCore: "0.006",
      memoryGiB: "0.0015",
      storageGiB: "0.0001",
      floor: "0.20",
    },
  },
] as const;

export interface DemoAgent {
  slug: string;
  configPath: string;
}

/** Writes (or refreshes) each demo agent's config; agents whose provider is not in the database are left out. */
export async function prepareDemoAgents(options: {
  databaseUrl: string;
  apiUrl: string;
  agentsDir: string;
}): Promise<DemoAgent[]> {
  await mkdir(options.agentsDir, { recursive: true });
  const prisma = new PrismaClient({
    adapter: new PrismaPg({ connectionString: options.databaseUrl, max: 1 }),
  });
  const agents: DemoAgent[] = [];
  try {
    for (const spec of DEMO_AGENTS) {
      const account = await prisma.account.findUnique({
        where: { email: spec.email },
        include: { provider: true },
      });
      if (!account?.provider) continue;
      const configPath = path.join(options.agentsDir, `${spec.slug}.yaml`);
      const existing = existsSync(configPath)
        ? (parse(await readFile(configPath, "utf8")) as { apiKey?: string; signingKey?: string })
        : {};
      let apiKey = existing.apiKey;
      const known =
        apiKey &&
        (await prisma.apiKey.findFirst({
          where: { accountId: account.id, hash: hashApiKey(apiKey), revokedAt: null },
        }));
      if (!known) {
        const token = generateApiKey();
        await prisma.apiKey.create({
          data: { accountId: account.id, name: "demo agent", prefix: token.prefix, hash: token.hash },
        });
        apiKey = token.key;
      }
      const config = {
        api: options.apiUrl,
        apiKey,
        signingKey: existing.signingKey ?? generatePrivateKey(),
        runtime: { kind: "local", host: "127.0.0.1" },
        heartbeatSeconds: 3,
        pricing: spec.pricing,
      };
      await writeFile(
        configPath,
        `# Demo provider agent of ${account.provider.name}; written by npm start.\n${stringify(config)}`,
        { mode: 0o600 },
      );
      // The mode above applies only to a new file; the config holds keys, so narrow an old one too.
      await chmod(configPath, 0o600);
      agents.push({ slug: spec.slug, configPath });
    }
  } finally {
    await prisma.$disconnect();
  }
  return agents;
}

/** Starts each agent as `bidcloud agent --config <file>` (in one process: SIGTERM reaches the agent itself), its output prefixed with its name. */
export function startDemoAgents(
  agents: readonly DemoAgent[],
  root: string,
  env: NodeJS.ProcessEnv,
): { stop: () => Promise<void> } {
  // Each agent's key is in its config file; a BIDCLOUD_API_KEY exported for the CLI would override it.
  const agentEnv = { ...env, BIDCLOUD_API_KEY: undefined };
  const children: ChildProcess[] = agents.map((agent) => {
    const child = spawn(
      process.execPath,
      [path.join(root, "bin/bidcloud.mjs"), "agent", "--config", agent.configPath],
      { cwd: root, env: agentEnv, stdio: ["ignore", "pipe", "pipe"] },
    );
    const prefix = `[agent ${agent.slug}] `;
    for (const stream of [child.stdout, child.stderr]) {
      let partial = "";
      stream?.setEncoding("utf8");
      stream?.on("data", (chunk: string) => {
        const lines = (partial + chunk).split("\n");
        partial = lines.pop() ?? "";
        for (const line of lines) process.stdout.write(`${prefix}${line}\n`);
      });
    }
    return child;
  });
  return {
    async stop() {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              child.once("exit", () => resolve());
              child.kill("SIGTERM");
              setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
            }),
        ),
      );
    },
  };
}
