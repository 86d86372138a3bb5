import { describe, expect, it } from "vitest";
import { runCli } from "@/cli/run-cli";
import type { CliIo } from "@/cli/io";
import { TEMPLATES } from "@/lib/sdl";

interface Call {
  url: string;
  init: RequestInit;
}

/** runCli with a fake network and file system; returns what it printed and sent. */
async function run(
  args: string[],
  options: { env?: Record<string, string>; respond?: (call: Call) => Response | Promise<Response> } = {},
) {
  const out: string[] = [];
  const err: string[] = [];
  const calls: Call[] = [];
  const sleeps: number[] = [];
  const io: CliIo = {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    env: { BIDCLOUD_API_KEY: "bc_test_key", ...options.env },
    readText: async (file) => {
      if (file === "vllm.yaml") return TEMPLATES[0]!.sdl;
      throw Object.assign(new Error("no such file"), { code: "ENOENT" });
    },
    fetch: async (input, init) => {
      const url = input instanceof Request ? input.url : input instanceof URL ? input.href : input;
      const call = { url, init: init ?? {} };
      calls.push(call);
      if (!options.respond) throw new Error("unexpected request");
      return options.respond(call);
    },
    sleep: async (milliseconds) => {
      sleeps.push(milliseconds);
    },
  };
  const status = await runCli(args, io);
  return { status, stdout: out.join("\n"), stderr: err.join("\n"), calls, sleeps };
}

const created = {
  deployment: { id: "dep_1", state: "open", manifestVersion: "ab".repeat(32) },
  orders: [
    {
      id: "ord_1",
      groupName: "dcloud",
      count: 1,
      resources: {
        gpu: {
          units: 1,
          vendor: "nvidia",
          model: null,
          memoryGiB: null,
          choices: [{ model: "h100", memoryGiB: null, interface: null }],
        },
        cpuMillicores: 8000,
        memoryBytes: 42949672960,
        storageBytes: 107374182400,
      },
      additionalUnits: [],
      maxPricePerHour: "3.000000",
    },
  ],
};

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("bidcloud deploy", () => {
  it("posts the SDL with the API key and an idempotency key, and prints the deployment and its orders", async () => {
    const { status, stdout, calls } = await run(["deploy", "vllm.yaml"], {
      env: { BIDCLOUD_URL: "https://bidcloud.example/" },
      respond: () => json(201, created),
    });
    expect(status).toBe(0);
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call!.url).toBe("https://bidcloud.example/api/v1/deployments");
    expect(call!.init.method).toBe("POST");
    const headers = call!.init.headers as Record<string, string>;
    expect(headers.authorization).toBe("Bearer bc_test_key");
    expect(headers["idempotency-key"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(call!.init.body as string)).toEqual({ sdl: TEMPLATES[0]!.sdl });
    expect(stdout).toContain("Deployment dep_1  open");
    expect(stdout).toContain("ab".repeat(32));
    expect(stdout).toContain(
      "ord_1  dcloud: 1 replica of 1 GPU (h100), 8 CPU, 40 GiB memory, 100 GiB storage",
    );
    expect(stdout).toContain("at most $3.00/hour");
  });

  it("asks for automatic acceptance with --auto-accept, against the local server by default", async () => {
    const { calls } = await run(["deploy", "vllm.yaml", "--auto-accept"], {
      respond: () => json(201, created),
    });
    expect(calls[0]!.url).toBe("http://127.0.0.1:3000/api/v1/deployments");
    expect(JSON.parse(calls[0]!.init.body as string)).toMatchObject({ autoAccept: true });
  });

  it("prints the raw response with --json", async () => {
    const { status, stdout } = await run(["deploy", "vllm.yaml", "--json"], {
      respond: () => json(201, created),
    });
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual(created);
  });

  it("prints the API's validation errors with lines and exits 1", async () => {
    const { status, stderr } = await run(["deploy", "vllm.yaml"], {
      respond: () =>
        json(422, {
          error: {
            code: "VALIDATION",
            message: "The SDL is not valid",
            fields: [
              {
                path: "profiles.compute.vllm.resources.cpu.units",
                line: 30,
                message: '"units" must be greater than 0',
              },
              { path: "sdl", message: "is empty" },
            ],
          },
        }),
    });
    expect(status).toBe(1);
    expect(stderr).toContain("error: The SDL is not valid (VALIDATION)");
    expect(stderr).toContain(
      'vllm.yaml:30  profiles.compute.vllm.resources.cpu.units  "units" must be greater than 0',
    );
    expect(stderr).toContain("  sdl  is empty");
  });

  it("exits 1 on an answer that is not the API's JSON", async () => {
    const { status, stderr } = await run(["deploy", "vllm.yaml"], {
      respond: () => new Response("<html>Bad gateway</html>", { status: 502 }),
    });
    expect(status).toBe(1);
    expect(stderr).toContain("HTTP 502");
  });

  it("tries once more after a second when the server cannot be reached, then exits 1", async () => {
    const { status, stderr, calls, sleeps } = await run(["deploy", "vllm.yaml"], {
      respond: () => {
        throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
      },
    });
    expect(status).toBe(1);
    expect(calls).toHaveLength(2);
    expect(sleeps).toEqual([1000]);
    expect(stderr).toContain("could not reach http://127.0.0.1:3000/api/v1/deployments: ECONNREFUSED");
  });

  it("retries a reset connection with the same idempotency key, so the server creates one deployment", async () => {
    let attempts = 0;
    const { status, stdout, calls } = await run(["deploy", "vllm.yaml"], {
      respond: () => {
        attempts += 1;
        if (attempts === 1) throw new TypeError("fetch failed", { cause: { code: "ECONNRESET" } });
        return json(201, created);
      },
    });
    expect(status).toBe(0);
    expect(stdout).toContain("Deployment dep_1  open");
    const keys = calls.map((call) => (call.init.headers as Record<string, string>)["idempotency-key"]);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(calls[1]!.init.body).toBe(calls[0]!.init.body);
  });

  it("does not retry when no answer came within the timeout", async () => {
    const { status, stderr, calls } = await run(["deploy", "vllm.yaml"], {
      respond: () => {
        throw new DOMException("The operation was aborted due to timeout", "TimeoutError");
      },
    });
    expect(status).toBe(1);
    expect(calls).toHaveLength(1);
    expect(stderr).toContain("no answer in 60 s");
  });

  it("exits 2 without BIDCLOUD_API_KEY, before reading or sending anything", async () => {
    const { status, stderr, calls } = await run(["deploy", "vllm.yaml"], { env: { BIDCLOUD_API_KEY: "" } });
    expect(status).toBe(2);
    expect(stderr).toContain("BIDCLOUD_API_KEY is not set");
    expect(calls).toEqual([]);
  });

  it("exits 2 for an unreadable file or a missing argument", async () => {
    expect((await run(["deploy", "missing.yaml"])).status).toBe(2);
    expect((await run(["deploy"])).status).toBe(2);
    expect((await run(["deploy", "vllm.yaml", "--yes"])).status).toBe(2);
  });
});
