import { readFile } from "node:fs/promises";
import { cliEnvFrom, type CliEnv } from "./env";

/** What commands may touch of the outside world; tests pass their own. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: CliEnv;
  readText: (path: string) => Promise<string>;
  fetch: typeof fetch;
  sleep: (milliseconds: number) => Promise<void>;
}

export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    env: cliEnvFrom(process.env),
    readText: (path) => readFile(path, "utf8"),
    fetch: (input, init) => fetch(input, init),
    sleep: (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds)),
  };
}

/** Wrong invocation: exit code 2, message and usage on stderr. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
    this.name = "UsageError";
  }
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
