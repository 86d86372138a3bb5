import { spawn } from "node:child_process";

/**
 * Runs the provider's external price command, as Akash providers' bid price script: the order
 * JSON on stdin, one hourly USD price on stdout. Anything else (a non-zero exit, no number,
 * no answer within the timeout) is a PriceCommandError, and the order gets no bid: falling back
 * to the table would bid a price the operator's own strategy never chose.
 */
export const PRICE_COMMAND_TIMEOUT_MS = 2_000;
const MAX_OUTPUT_CHARS = 4_096;

export class PriceCommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PriceCommandError";
  }
}

export async function runPriceCommand(
  command: readonly string[],
  input: string,
  options: { cwd: string; timeoutMs?: number },
): Promise<bigint> {
  const output = await runWithTimeout(
    command,
    input,
    options.cwd,
    options.timeoutMs ?? PRICE_COMMAND_TIMEOUT_MS,
  );
  return parsePriceOutput(output);
}

/**
 * "2.4", "2.40\n" or "1.2345678" (rounded up to the micro-dollar: scripts often print float math).
 * Only the first line counts. Returns micro-USD.
 */
export function parsePriceOutput(output: string): bigint {
  const line = output.trim().split("\n")[0]?.trim() ?? "";
  const match = /^(\d{1,12})(?:\.(\d{1,30}))?$/.exec(line);
  if (!match) throw new PriceCommandError(`printed ${JSON.stringify(line.slice(0, 80))}, not a USD price`);
  const fraction = match[2] ?? "";
  const kept = BigInt(fraction.slice(0, 6).padEnd(6, "0"));
  const roundUp = /[1-9]/.test(fraction.slice(6)) ? 1n : 0n;
  return BigInt(match[1]!) * 1_000_000n + kept + roundUp;
}

function runWithTimeout(
  command: readonly string[],
  input: string,
  cwd: string,
  timeoutMs: number,
): Promise<string> {
  const [program, ...args] = command;
  return new Promise((resolve, reject) => {
    // Its own process group, so a timeout kills what a shell script started too.
    const child = spawn(program!, args, { cwd, stdio: ["pipe", "pipe", "pipe"], detached: true });
    let stdout = "";
    let stderr = "";
    let settled = false;
    const finish = (error: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(stdout);
    };
    const timer = setTimeout(() => {
      killGroup(child.pid);
      finish(new PriceCommandError(`gave no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      if (stdout.length < MAX_OUTPUT_CHARS) stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      if (stderr.length < MAX_OUTPUT_CHARS) stderr += chunk;
    });
    child.on("error", (error) => finish(new PriceCommandError(`could not start: ${error.message}`)));
    child.on("close", (code, signal) => {
      if (code === 0) finish(null);
      else {
        const detail = stderr.trim().split("\n")[0]?.slice(0, 200);
        finish(
          new PriceCommandError(
            `exited with ${code === null ? `signal ${signal}` : `status ${code}`}${detail ? `: ${detail}` : ""}`,
          ),
        );
      }
    });
    // A command that ignores stdin may exit before reading it: EPIPE is not its failure.
    child.stdin.on("error", () => {});
    child.stdin.end(input);
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
}
