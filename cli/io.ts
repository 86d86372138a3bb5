import { readFile } from "node:fs/promises";

/** What commands may touch of the outside world; tests pass their own. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  readText: (path: string) => Promise<string>;
  fetch: typeof fetch;
}

export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    env: process.env,
    readText: (path) => readFile(path, "utf8"),
    fetch: (input, init) => fetch(input, init),
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
