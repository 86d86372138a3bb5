import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/**
 * A local EVM node: the real anvil binary from the npm package, started directly (npx would
 * leave wrapper processes behind). Development and tests only; production points
 * EVM_RPC_URL at a real chain.
 */
export const ANVIL_DEFAULT_CHAIN_ID = 31337;
const READY_TIMEOUT_MS = 15_000;
const READY_POLL_MS = 100;
const STOP_GRACE_MS = 5_000;
const OUTPUT_LINES_KEPT = 20;
/** How often anvil rewrites its state file while running, so a crash loses at most this much. */
const DEFAULT_STATE_INTERVAL_SECONDS = 5;
const PORT_ATTEMPTS = 3;
const SETPRIV = "/usr/bin/setpriv";

export type AnvilOptions = {
  /** 0 or undefined: a free port. */
  port?: number;
  chainId?: number;
  /** Loaded at start when it exists, written on a graceful stop and every `stateIntervalSeconds`. */
  statePath?: string;
  stateIntervalSeconds?: number;
  /** Seconds between blocks (interval mining); undefined: a block per transaction. */
  blockTime?: number;
};

type AnvilSettings = AnvilOptions & { chainId: number };

export type AnvilNode = {
  rpcUrl: string;
  chainId: number;
  port: number;
  pid: number;
  /** Ends anvil (which writes its state file first) and resolves once the process has exited. */
  stop(): Promise<void>;
};

class AnvilExitedError extends Error {}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** A parent that exits normally takes its nodes along; they still write their state on SIGTERM. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const child of running) child.kill("SIGTERM");
  });
}

function anvilBinaryPath(): string {
  const require = createRequire(import.meta.url);
  let packageJson: string;
  try {
    packageJson = require.resolve("@foundry-rs/anvil-linux-amd64/package.json");
  } catch {
    throw new Error(
      "the anvil binary is missing: @foundry-rs/anvil-linux-amd64 installs only on Linux x64 and not with --omit=optional; elsewhere set EVM_RPC_URL to a running node",
    );
  }
  return path.join(path.dirname(packageJson), "bin", "anvil");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error("could not find a free port"))));
    });
  });
}

async function jsonRpc<T>(rpcUrl: string, method: string, params: unknown[] = []): Promise<T> {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method} failed: ${body.error.message}`);
  return body.result as T;
}

/** Local nodes only: sets an address's native balance (gas). */
export async function setAnvilBalance(rpcUrl: string, address: string, wei: bigint): Promise<void> {
  await jsonRpc(rpcUrl, "anvil_setBalance", [address, `0x${wei.toString(16)}`]);
}

/**
 * anvil rewrites its state file in place, so a crash in the middle of a write leaves a file
 * it refuses to load. Each start that loaded the file keeps a copy of it beside it.
 */
function backupPaths(statePath: string): { pending: string; backup: string } {
  return { pending: `${statePath}.loading`, backup: `${statePath}.bak` };
}

function anvilArgs(options: AnvilSettings, port: number, readyFile: string): string[] {
  const args = ["--host", "127.0.0.1", "--port", String(port), "--chain-id", String(options.chainId)];
  // anvil writes this file once it listens: proof that the node answering on the port is
  // this process, not another one that already held the port.
  args.push("--quiet", "--config-out", readyFile);
  if (options.blockTime !== undefined) args.push("--block-time", String(options.blockTime));
  if (options.statePath) {
    args.push("--state", options.statePath);
    args.push("--state-interval", String(options.stateIntervalSeconds ?? DEFAULT_STATE_INTERVAL_SECONDS));
  }
  return args;
}

function spawnAnvil(args: string[]): ChildProcess {
  const binary = anvilBinaryPath();
  // setpriv execs anvil in place (same pid) and has the kernel send it SIGTERM when this
  // process dies, even by SIGKILL, so anvil never outlives a crashed parent or test worker.
  const [command, commandArgs] = existsSync(SETPRIV)
    ? [SETPRIV, ["--pdeathsig", "TERM", "--", binary, ...args]]
    : [binary, args];
  return spawn(command, commandArgs, { stdio: ["ignore", "pipe", "pipe"] });
}

function keepLastLines(child: ChildProcess): () => string {
  const lines: string[] = [];
  const unfinished = { stdout: "", stderr: "" };
  const collect = (stream: keyof typeof unfinished) => (chunk: Buffer) => {
    const parts = (unfinished[stream] + chunk.toString("utf8")).split("\n");
    unfinished[stream] = parts.pop() ?? "";
    for (const line of parts) {
      if (!line.trim()) continue;
      lines.push(line);
      if (lines.length > OUTPUT_LINES_KEPT) lines.shift();
    }
  };
  child.stdout?.on("data", collect("stdout"));
  child.stderr?.on("data", collect("stderr"));
  return () => [...lines, unfinished.stdout, unfinished.stderr].filter((line) => line.trim()).join("\n");
}

type Exit = { code: number | null; signal: NodeJS.Signals | null; error?: Error };

/** Resolves when the process has exited, or could not be started at all. */
function exitOf(child: ChildProcess): Promise<Exit> {
  return new Promise((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
    child.once("error", (error) => {
      if (child.pid === undefined) resolve({ code: null, signal: null, error });
    });
  });
}

async function waitUntilReady(
  rpcUrl: string,
  readyFile: string,
  exited: () => Exit | null,
  output: () => string,
): Promise<number> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const exit = exited();
    if (exit) {
      if (exit.error) throw new Error(`could not start anvil: ${exit.error.message}`);
      const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
      throw new AnvilExitedError(
        `anvil exited (${how}) before it answered at ${rpcUrl}:\n${output() || "(no output)"}`,
      );
    }
    try {
      if (existsSync(readyFile)) return Number(await jsonRpc<string>(rpcUrl, "eth_chainId"));
    } catch {
      // listening, not answering yet
    }
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
  throw new Error(`anvil did not answer eth_chainId at ${rpcUrl} within ${READY_TIMEOUT_MS / 1000} s`);
}

async function startOnce(options: AnvilSettings, port: number): Promise<AnvilNode> {
  const rpcUrl = `http://127.0.0.1:${port}`;
  const readyFile = path.join(os.tmpdir(), `bidcloud-anvil-${randomBytes(6).toString("hex")}.json`);
  const child = spawnAnvil(anvilArgs(options, port, readyFile));
  installExitHook();
  running.add(child);
  let exit: Exit | null = null;
  const exited = exitOf(child).then((result) => {
    exit = result;
    running.delete(child);
  });
  const output = keepLastLines(child);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (exit) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    })();
    return stopping;
  };

  try {
    const chainId = await waitUntilReady(rpcUrl, readyFile, () => exit, output);
    if (chainId !== options.chainId) {
      throw new Error(`anvil at ${rpcUrl} reports chain id ${chainId}, expected ${options.chainId}`);
    }
    return { rpcUrl, chainId, port, pid: child.pid ?? 0, stop };
  } catch (error) {
    await stop();
    throw error;
  } finally {
    rmSync(readyFile, { force: true });
  }
}

function looksLikePortInUse(error: unknown): boolean {
  return error instanceof AnvilExitedError && /address already in use/i.test(error.message);
}

/**
 * Starts anvil on 127.0.0.1 (automine unless `blockTime`) and resolves once it answers
 * eth_chainId with the expected id; rejects with anvil's last output lines if it exits first.
 */
export async function startAnvil(options: AnvilOptions = {}): Promise<AnvilNode> {
  const settings = { ...options, chainId: options.chainId ?? ANVIL_DEFAULT_CHAIN_ID };
  if (!settings.statePath) return startWithPortRetries(settings);

  const { statePath } = settings;
  const { pending, backup } = backupPaths(statePath);
  // anvil does not create missing folders; it would silently write no state at all.
  mkdirSync(path.dirname(statePath), { recursive: true });
  const loadsState = existsSync(statePath);
  if (loadsState) copyFileSync(statePath, pending);
  try {
    const node = await startWithPortRetries(settings);
    if (loadsState) renameSync(pending, backup);
    return node;
  } catch (error) {
    rmSync(pending, { force: true });
    const message = error instanceof Error ? error.message : String(error);
    if (!loadsState || !/--state/.test(message) || !existsSync(backup)) throw error;
    throw new Error(
      `${message}\nIf the state file is damaged (a crash while anvil wrote it), ${backup} holds the state of the last good start: move it into place to recover.`,
      { cause: error },
    );
  }
}

async function startWithPortRetries(settings: AnvilSettings): Promise<AnvilNode> {
  if (settings.port) return startOnce(settings, settings.port);
  // A port found free can be taken before anvil binds it; pick another then.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(settings, await freePort());
    } catch (error) {
      if (attempt >= PORT_ATTEMPTS || !looksLikePortInUse(error)) throw error;
    }
  }
}
