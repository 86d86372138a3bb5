import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import type { LogLine, ServiceReport, WorkloadEvent } from "@/lib/verify/protocol";
import type { WorkloadPort, WorkloadService } from "../runtime";
import { probeHttp } from "./http-probe";
import { workloadEnvOf } from "./workload-env";

/**
 * One service of a lease on the local runtime: a supervised child process running the stand-in
 * workload, with a readiness probe (GET /health on each of its ports answers 200) and restarts
 * with backoff when it exits, as a Kubernetes Deployment would. One process stands for all the
 * service's replicas (count is reported, not run).
 */
export interface ServicePort {
  /** The manifest's exposed port, or null for the internal health port of a service that exposes none. */
  exposed: WorkloadPort | null;
  hostPort: number;
}

export interface ServiceProcessOptions {
  leaseId: string;
  service: WorkloadService;
  ports: ServicePort[];
  /** Address the workload listens on, and the one its URIs name. */
  host: string;
  publicHost: string;
  scriptPath: string;
  onEvent: (event: WorkloadEvent) => void;
  onLog: (line: LogLine) => void;
  probeIntervalMs?: number;
  minRestartDelayMs?: number;
  maxRestartDelayMs?: number;
}

const PROBE_TIMEOUT_MS = 1_000;
const STOP_GRACE_MS = 2_000;
/** A process that ran this long before exiting is restarted without the accumulated backoff. */
const STABLE_RUN_MS = 30_000;

export class ServiceProcess {
  private child: ChildProcessWithoutNullStreams | null = null;
  private startedAt = 0;
  private ready = false;
  private stopping = false;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private probeTimer: ReturnType<typeof setInterval> | undefined;
  private probing = false;
  private restartDelayMs: number;
  private restarts = 0;
  private exited: Promise<void> = Promise.resolve();
  private readonly env: Record<string, string>;
  private readonly ignoredEnv: string[];

  constructor(private readonly options: ServiceProcessOptions) {
    this.restartDelayMs = options.minRestartDelayMs ?? 1_000;
    const { env, ignored } = workloadEnvOf(options.service.env);
    this.env = env;
    this.ignoredEnv = ignored;
  }

  get name(): string {
    return this.options.service.name;
  }

  /** The process id, while one runs. */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  start(): void {
    if (this.ignoredEnv.length > 0) {
      this.event(
        "warning",
        "EnvIgnored",
        `${this.ignoredEnv.join(", ")} not set: on the local runtime the workload is a node process on the provider's host, and these variables would change how node or the system loader runs it`,
      );
    }
    this.spawnChild();
    this.probeTimer = setInterval(() => void this.probe(), this.options.probeIntervalMs ?? 1_000);
    this.probeTimer.unref();
  }

  report(): ServiceReport {
    const { service, ports, publicHost } = this.options;
    return {
      name: service.name,
      ready: this.ready,
      replicas: service.count,
      readyReplicas: this.ready ? service.count : 0,
      uris: ports
        .filter((port) => port.exposed?.global && port.exposed.proto === "TCP")
        .map((port) => `http://${publicHost}:${port.hostPort}`),
    };
  }

  /** SIGTERM, then SIGKILL after STOP_GRACE_MS; resolves once the process is gone. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    clearInterval(this.probeTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const killer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
    child.kill("SIGTERM");
    await this.exited;
    clearTimeout(killer);
    this.event("normal", "Killed", `stopped ${this.name}`);
  }

  /** Stops supervising (no more probes or restarts) and leaves the process running. */
  detach(): void {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    clearInterval(this.probeTimer);
  }

  private spawnChild(): void {
    const { service, ports, host, leaseId, scriptPath } = this.options;
    const hostPorts = ports.map((port) => port.hostPort);
    // Only the manifest's variables and ours: the agent's own environment (its API key) must
    // never reach a tenant's workload.
    const env: Record<string, string> = { ...this.env };
    Object.assign(env, {
      PORT: String(hostPorts[0]),
      BIDCLOUD_PORTS: hostPorts.join(","),
      BIDCLOUD_HOST: host,
      BIDCLOUD_SERVICE: service.name,
      BIDCLOUD_IMAGE: service.image,
      BIDCLOUD_LEASE_ID: leaseId,
      BIDCLOUD_ENV_NAMES: Object.keys(env).join(","),
    });
    // stdin stays an open pipe the agent never writes to: when the agent dies the pipe closes
    // and the workload exits with it.
    // (Next's types make NODE_ENV required in ProcessEnv; a child needs no such thing.)
    const child = spawn(process.execPath, [scriptPath], {
      env: env as NodeJS.ProcessEnv,
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child = child;
    this.startedAt = Date.now();
    this.forwardLines(child.stdout);
    this.forwardLines(child.stderr);
    child.stdin.on("error", () => {});
    // A process that could not be spawned emits "error" and maybe never "exit": either ends it, once.
    this.exited = new Promise((resolve) => {
      let ended = false;
      const end = (code: number | null, signal: NodeJS.Signals | null) => {
        if (ended) return;
        ended = true;
        resolve();
        this.onExit(code, signal);
      };
      child.once("exit", end);
      child.once("error", (error) => {
        this.event("warning", "Failed", `could not start ${this.name}: ${error.message}`);
        end(null, null);
      });
    });
    const portList = ports.map((port) =>
      port.exposed ? `${port.exposed.port}->${port.hostPort}` : `${port.hostPort}`,
    );
    this.event(
      "normal",
      "Started",
      `started ${this.name} (stand-in for ${service.image}, ${service.count} ${service.count === 1 ? "replica" : "replicas"}) pid ${child.pid ?? "?"}, ports ${portList.join(", ")}`,
    );
  }

  private forwardLines(stream: NodeJS.ReadableStream): void {
    createInterface({ input: stream, crlfDelay: Infinity }).on("line", (line) =>
      this.options.onLog({ at: new Date().toISOString(), service: this.name, line }),
    );
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.child = null;
    const wasReady = this.ready;
    this.ready = false;
    if (this.stopping) return;
    const how = code !== null ? `status ${code}` : signal !== null ? `signal ${signal}` : "an error";
    this.event("warning", "Exited", `${this.name} exited with ${how}${wasReady ? "; not ready" : ""}`);
    if (Date.now() - this.startedAt >= STABLE_RUN_MS)
      this.restartDelayMs = this.options.minRestartDelayMs ?? 1_000;
    const delayMs = this.restartDelayMs;
    this.restartDelayMs = Math.min(this.options.maxRestartDelayMs ?? 30_000, delayMs * 2);
    this.restarts += 1;
    this.event("warning", "BackOff", `restarting ${this.name} in ${delayMs} ms (restart ${this.restarts})`);
    this.restartTimer = setTimeout(() => {
      if (!this.stopping) this.spawnChild();
    }, delayMs);
  }

  private async probe(): Promise<void> {
    if (this.probing || this.stopping || !this.child) return;
    this.probing = true;
    try {
      const probeHost = this.options.host === "0.0.0.0" ? "127.0.0.1" : this.options.host;
      let failure: string | null = null;
      for (const { hostPort } of this.options.ports) {
        const result = await probeHttp(probeHost, hostPort, "/health", PROBE_TIMEOUT_MS);
        if ("error" in result) failure = `GET /health on port ${hostPort}: ${result.error}`;
        else if (result.status !== 200) failure = `GET /health on port ${hostPort} answered ${result.status}`;
        if (failure) break;
      }
      if (this.stopping || !this.child) return;
      if (failure === null && !this.ready) {
        this.ready = true;
        this.event("normal", "Ready", `${this.name} is ready`);
      } else if (failure !== null && this.ready) {
        this.ready = false;
        this.event("warning", "Unhealthy", `${this.name} is not ready: ${failure}`);
      }
    } finally {
      this.probing = false;
    }
  }

  private event(type: WorkloadEvent["type"], reason: string, message: string): void {
    this.options.onEvent({ at: new Date().toISOString(), type, reason, message, service: this.name });
  }
}
