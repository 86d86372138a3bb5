import { randomBytes } from "node:crypto";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIo } from "@/cli/io";
import { runCli } from "@/cli/run-cli";
import { apiClient } from "../support/api-client";
import { startApiServer } from "../support/api-server";

/**
 * `bidcloud agent` through runCli against the real API, with config files served from memory.
 * The provider owns a GPU model of its own and the pricing floor is above what other test files'
 * orders pay, so this agent bids only on this file's order (see agent.test.ts).
 */
let server: Awaited<ReturnType<typeof startApiServer>>;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  server = await startApiServer();
  api = apiClient(server.baseUrl);
});

afterAll(async () => {
  await server?.close();
});

function cliIo(files: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    env: {},
    readText: async (file) => {
      const name = file.split("/").at(-1)!;
      if (name in files) return files[name]!;
      throw Object.assign(new Error("no such file"), { code: "ENOENT" });
    },
    fetch: (input, init) => fetch(input, init),
    sleep: (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds)),
  };
  return { io, out, err };
}

const configText = (options: { apiKey: string; signingKey: string; model: string }) => `
api: ${server.baseUrl}/api/v1
apiKey: ${options.apiKey}
signingKey: "${options.signingKey}"
heartbeatSeconds: 1
pricing:
  gpu: { ${options.model}: "24.00" }
  floor: "20.00"
`;

async function until(check: () => boolean, what: () => string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("bidcloud agent", () => {
  it("prints its usage with --help and from bidcloud help agent", async () => {
    const help = cliIo({});
    expect(await runCli(["agent", "--help"], help.io)).toBe(0);
    expect(help.out.join("\n")).toContain("Usage: bidcloud agent --config <file>");
    const topic = cliIo({});
    expect(await runCli(["help", "agent"], topic.io)).toBe(0);
    expect(topic.out.join("\n")).toContain("pricing:");
    const general = cliIo({});
    await runCli(["help"], general.io);
    expect(general.out.join("\n")).toContain("agent --config <file>");
  });

  it("is a usage error without --config", async () => {
    const run = cliIo({});
    expect(await runCli(["agent"], run.io)).toBe(2);
    expect(run.err[0]).toBe("error: agent needs --config <file>");
  });

  it("names the bad fields of its config file and exits 2", async () => {
    const run = cliIo({ "agent.yaml": "api: nope\npricing: { gpu: { h100: cheap } }\n" });
    expect(await runCli(["agent", "--config", "agent.yaml"], run.io)).toBe(2);
    const text = run.err.join("\n");
    expect(text).toContain("agent.yaml");
    expect(text).toContain("api: must be an http(s) URL");
    expect(text).toContain("pricing.gpu.h100:");
    expect(text).toContain("apiKey: is required");
  });

  it("exits 1 when the API refuses the key", async () => {
    const run = cliIo({
      "agent.yaml": configText({
        apiKey: `bc_${"0".repeat(40)}`,
        signingKey: generatePrivateKey(),
        model: "rtx6000",
      }),
    });
    expect(await runCli(["agent", "--config", "agent.yaml"], run.io)).toBe(1);
    expect(run.err.join("\n")).toContain("GET /provider: the API key is not valid (HTTP 401)");
  });

  it("bids, logs what it did, and stops on SIGTERM with status 0", async () => {
    const model = `rtx6000-${randomBytes(3).toString("hex")}`;
    const provider = await api.provider({
      inventory: [{ gpu: { vendor: "nvidia", model, memoryGiB: 96, interface: "pcie", count: 4 } }],
    });
    const tenant = await api.signUp(["tenant"]);
    const signingKey = generatePrivateKey();
    const run = cliIo({ "agent.yaml": configText({ apiKey: provider.key, signingKey, model }) });
    const exit = runCli(["agent", "--config", "agent.yaml", "--json"], run.io);
    await until(
      () => run.err.some((line) => line.includes('"event stream connected"')),
      () => `the agent to connect: ${run.err.join("\n")}`,
    );

    const order = await api.postOrder(tenant.key, {
      resources: {
        gpu: { units: 1, vendor: "nvidia", model },
        cpuMillicores: 8_000,
        memoryBytes: 64 * 1024 ** 3,
        storageBytes: 200 * 1024 ** 3,
      },
      maxPricePerHour: "30.000000",
    });
    await until(
      () => run.err.some((line) => line.includes('"bid placed"')),
      () => `a bid: ${run.err.join("\n")}`,
    );
    process.emit("SIGTERM");
    expect(await exit).toBe(0);

    const placed = JSON.parse(run.err.find((line) => line.includes('"bid placed"'))!) as Record<
      string,
      unknown
    >;
    // Only GPUs are priced in this config: 1 x $24.00.
    expect(placed).toMatchObject({
      level: "info",
      message: "bid placed",
      order: order.id,
      price: "24.000000",
    });
    const bids = await api.call("GET", `/orders/${order.id}/bids`, { key: tenant.key });
    expect(bids.body.bids).toEqual([
      expect.objectContaining({
        id: placed.bid,
        providerId: provider.provider.id,
        pricePerHour: "24.000000",
      }),
    ]);
    const profile = await api.call("GET", "/provider", { key: provider.key });
    expect(profile.body.provider.signingAddress).toBe(privateKeyToAccount(signingKey).address.toLowerCase());
    expect(run.err.join("\n")).toContain('"stopping"');
  });
});
