import { spawn } from "node:child_process";
import { access, mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import type { LogLine, ServiceReport, WorkloadEvent } from "@/lib/verify/protocol";
import type { LeaseWorkload, WorkloadService } from "../runtime";
import { createLocalRuntime, type LocalRuntime } from "./local-runtime";

const STAND_IN = fileURLToPath(new URL("./stand-in-workload.mjs", import.meta.url));

function service(name: string, overrides: Partial<WorkloadService> = {}): WorkloadService {
  return {
    name,
    image: `acme/${name}:1`,
    command: null,
    args: null,
    env: [],
    count: 1,
    resources: {
      cpuMillicores: 500,
      memoryBytes: 1n << 29n,
      storageBytes: 1n << 30n,
      gpu: { units: 0, models: [], vendor: null },
    },
    expose: [],
    ...overrides,
  };
}

function workload(leaseId: string, services: WorkloadService[], manifestVersion = "v1"): LeaseWorkload {
  return { leaseId, deploymentId: "dep_1", groupName: "dcloud", manifestVersion, services };
}

const web = service("web", {
  count: 2,
  env: ["GREETING=hello", "API_TOKEN=s3cr3t-value"],
  expose: [
    { port: 8080, externalPort: 80, proto: "TCP", global: true, hosts: [], service: "" },
    { port: 9000, externalPort: 0, proto: "TCP", global: false, hosts: [], service: "worker" },
  ],
});
const worker = service("worker");

let runtime: LocalRuntime | null = null;

afterEach(async () => {
  await runtime?.close({ teardownAll: true });
  runtime = null;
});

function newRuntime(): LocalRuntime {
  runtime = createLocalRuntime({ probeIntervalMs: 100, minRestartDelayMs: 100 });
  return runtime;
}

async function until<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  what: string,
  timeoutMs = 8_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const allReady = (services: ServiceReport[]) => services.length > 0 && services.every((entry) => entry.ready);

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    const done = (listening: boolean) => {
      socket.destroy();
      resolve(listening);
    };
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("local runtime", () => {
  it("runs a two-service workload: ready, reachable, unhealthy on demand, logged, torn down", async () => {
    const local = newRuntime();
    const events: WorkloadEvent[] = [];
    const logs: LogLine[] = [];
    const drain = async () => {
      const drained = await local.drain("lease_a");
      events.push(...drained.events);
      logs.push(...drained.logs);
    };

    await local.deploy(workload("lease_a", [web, worker]));
    const ready = await until(() => local.status("lease_a"), allReady, "both services ready");
    const webReport = ready.find((entry) => entry.name === "web")!;
    expect(webReport).toMatchObject({ ready: true, replicas: 2, readyReplicas: 2 });
    // Only the global port is reported; the worker exposes nothing.
    expect(webReport.uris).toHaveLength(1);
    expect(webReport.uris[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(ready.find((entry) => entry.name === "worker")).toMatchObject({ ready: true, uris: [] });

    const uri = webReport.uris[0]!;
    const health = await fetch(`${uri}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", service: "web", image: "acme/web:1" });
    const page = await (await fetch(`${uri}/`)).text();
    expect(page).toContain("<h1>web</h1>");
    expect(page).toContain("lease_a");
    expect(page).toContain("API_TOKEN");
    expect(page).not.toContain("s3cr3t-value");

    expect((await fetch(`${uri}/__bidcloud/unhealthy`, { method: "POST" })).status).toBe(204);
    expect((await fetch(`${uri}/health`)).status).toBe(503);
    await until(
      () => local.status("lease_a"),
      (services) => services.find((entry) => entry.name === "web")?.ready === false,
      "web not ready",
    );
    expect((await local.status("lease_a")).find((entry) => entry.name === "web")?.readyReplicas).toBe(0);
    await fetch(`${uri}/__bidcloud/healthy`, { method: "POST" });
    await until(() => local.status("lease_a"), allReady, "web ready again");

    await until(
      async () => {
        await drain();
        return logs;
      },
      (lines) => lines.some((entry) => entry.service === "web" && entry.line === "GET / 200"),
      "the request log",
    );
    expect(logs.some((entry) => entry.service === "worker" && entry.line.startsWith("listening on"))).toBe(
      true,
    );
    const reasons = events.map((entry) => `${entry.service}:${entry.reason}`);
    expect(reasons).toEqual(
      expect.arrayContaining(["web:Started", "worker:Started", "web:Ready", "worker:Ready", "web:Unhealthy"]),
    );
    expect(await local.drain("lease_a")).toEqual({ events: [], logs: expect.any(Array) });

    const pids = Object.values(local.processIds("lease_a")) as number[];
    expect(pids).toHaveLength(2);
    const port = Number(new URL(uri).port);
    await local.teardown("lease_a");
    expect(await local.status("lease_a")).toEqual([]);
    expect(await isListening(port)).toBe(false);
    expect(pids.every((pid) => !isAlive(pid))).toBe(true);
    await local.teardown("lease_a");
  });

  it("deploys idempotently, and replaces the processes for a new manifest version", async () => {
    const local = newRuntime();
    await local.deploy(workload("lease_b", [worker]));
    const first = local.processIds("lease_b").worker;
    await local.deploy(workload("lease_b", [worker]));
    expect(local.processIds("lease_b").worker).toBe(first);
    await local.deploy(workload("lease_b", [worker], "v2"));
    const second = local.processIds("lease_b").worker;
    expect(second).not.toBe(first);
    expect(isAlive(first!)).toBe(false);
  });

  it("restarts a crashed service with an event, and reports it not ready meanwhile", async () => {
    const local = newRuntime();
    await local.deploy(workload("lease_c", [worker]));
    await until(() => local.status("lease_c"), allReady, "worker ready");
    const pid = local.processIds("lease_c").worker!;
    process.kill(pid, "SIGKILL");
    const restarted = await until(
      async () => local.processIds("lease_c").worker,
      (current) => current !== null && current !== pid,
      "a new process",
    );
    expect(restarted).not.toBe(pid);
    await until(() => local.status("lease_c"), allReady, "worker ready after the restart");
    const { events } = await local.drain("lease_c");
    const reasons = events.map((entry) => entry.reason);
    expect(reasons).toEqual(expect.arrayContaining(["Exited", "BackOff"]));
    expect(reasons.filter((reason) => reason === "Started")).toHaveLength(2);
    expect(events.find((entry) => entry.reason === "Exited")?.message).toContain("signal SIGKILL");
  });

  it("keeps the agent's environment away from the workload", async () => {
    process.env.BIDCLOUD_API_KEY_FOR_TEST = "must-not-leak";
    try {
      const local = newRuntime();
      await local.deploy(
        workload("lease_d", [service("page", { expose: [web.expose[0]!], env: ["VISIBLE=1"] })]),
      );
      const [report] = await until(() => local.status("lease_d"), allReady, "page ready");
      const page = await (await fetch(`${report!.uris[0]}/`)).text();
      expect(page).toContain("VISIBLE");
      expect(page).not.toContain("BIDCLOUD_API_KEY_FOR_TEST");
    } finally {
      delete process.env.BIDCLOUD_API_KEY_FOR_TEST;
    }
  });

  it("runs no tenant code through node's own variables: NODE_OPTIONS and the loader's are left out, with an event", async () => {
    const directory = await mkdtemp(path.join(tmpdir(), "bidcloud-env-"));
    try {
      const marker = path.join(directory, "tenant-code-ran");
      const tenantCode = `import{writeFileSync}from"node:fs";writeFileSync(${JSON.stringify(marker)},"ran");process.exit(42)`;
      const local = newRuntime();
      await local.deploy(
        workload("lease_e", [
          service("page", {
            expose: [web.expose[0]!],
            env: [
              `NODE_OPTIONS=--import=data:text/javascript;base64,${Buffer.from(tenantCode).toString("base64")}`,
              `NODE_PATH=${directory}`,
              "LD_PRELOAD=/nonexistent/libtenant.so",
              "MODEL=llama",
            ],
          }),
        ]),
      );
      const pid = local.processIds("lease_e").page;
      const [report] = await until(() => local.status("lease_e"), allReady, "page ready");
      // The same process turned ready: it neither exited with 42 nor was restarted.
      expect(local.processIds("lease_e").page).toBe(pid);
      await expect(access(marker)).rejects.toMatchObject({ code: "ENOENT" });

      const page = await (await fetch(`${report!.uris[0]}/`)).text();
      expect(page).toContain("MODEL");
      expect(page).not.toContain("NODE_OPTIONS");

      const { events } = await local.drain("lease_e");
      expect(events.map((entry) => entry.reason)).not.toContain("Exited");
      const ignored = events.find((entry) => entry.reason === "EnvIgnored");
      expect(ignored).toMatchObject({ type: "warning", service: "page" });
      expect(ignored!.message).toMatch(/^NODE_OPTIONS, NODE_PATH, LD_PRELOAD not set/);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it("lists the leases it holds workloads for", async () => {
    const local = newRuntime();
    expect(await local.leaseIds()).toEqual([]);
    await local.deploy(workload("lease_f", [worker]));
    await local.deploy(workload("lease_g", [worker]));
    expect((await local.leaseIds()).sort()).toEqual(["lease_f", "lease_g"]);
    await local.teardown("lease_f");
    expect(await local.leaseIds()).toEqual(["lease_g"]);
  });
});

describe("stand-in workload", () => {
  it("exits when the process that started it dies (its stdin closes)", async () => {
    const directory = await mkdtemp(path.join(tmpdir(), "bidcloud-stand-in-"));
    try {
      // A stand-in for the agent: starts the workload as the runtime does, prints its pid, lives on.
      const parentScript = path.join(directory, "parent.mjs");
      await writeFile(
        parentScript,
        `import { spawn } from "node:child_process";
const child = spawn(process.execPath, [${JSON.stringify(STAND_IN)}], {
  env: { BIDCLOUD_PORTS: "0", BIDCLOUD_SERVICE: "orphan" },
  stdio: ["pipe", "pipe", "inherit"],
});
child.stdout.once("data", () => process.stdout.write(String(child.pid) + "\\n"));
setInterval(() => {}, 1000);
`,
      );
      const parent = spawn(process.execPath, [parentScript], { stdio: ["ignore", "pipe", "inherit"] });
      const childPid = await new Promise<number>((resolve, reject) => {
        parent.stdout.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
        parent.once("exit", () => reject(new Error("the parent exited early")));
      });
      expect(isAlive(childPid)).toBe(true);
      parent.kill("SIGKILL");
      await until(
        async () => isAlive(childPid),
        (alive) => !alive,
        "the orphaned workload to exit",
        5_000,
      );
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it("stops on SIGTERM", async () => {
    const env = { BIDCLOUD_PORTS: "0" } as Record<string, string> as NodeJS.ProcessEnv;
    const child = spawn(process.execPath, [STAND_IN], { env, stdio: ["pipe", "pipe", "pipe"] });
    await new Promise((resolve) => child.stdout.once("data", resolve));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
