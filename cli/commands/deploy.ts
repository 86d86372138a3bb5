import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { tryParseUsd } from "@/lib/money";
import { apiKeyOf, baseUrlOf } from "../env";
import { perHour, replicasOf, type resourcesLine } from "../format";
import { EXIT_FAILED, EXIT_OK, UsageError, type CliIo } from "../io";
import { readSdl } from "./sdl-check";

export const DEPLOY_USAGE = `Usage: bidcloud deploy <file> [--auto-accept] [--json]

Creates a deployment from an SDL file: one order per placement group.

  --auto-accept   accept the cheapest bid that satisfies each order
  --json          print the API's response as it is

Environment:
  BIDCLOUD_API_KEY   API key (required)
  BIDCLOUD_URL       Bidcloud address (default http://127.0.0.1:3000)

A request that fails on the network (connection refused or reset) is sent once more, with the
same Idempotency-Key, so it creates at most one deployment.

Exit status: 0 created, 1 refused or unreachable, 2 usage error or unreadable file.`;

const REQUEST_TIMEOUT_MS = 60_000;
const RETRY_DELAY_MS = 1_000;

/**
 * Failures before any answer arrived, worth one more try: the server was restarting, or a proxy
 * or the network dropped the connection. Whether the first request reached the server is unknown,
 * so the retry carries the same Idempotency-Key: the server then replays the first answer (or
 * says it is still running) instead of creating a second deployment. Our own timeout is not
 * retried: a minute has passed, and the first request may still be running.
 */
const RETRIED_NETWORK_ERRORS = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** The parts of POST /api/v1/deployments' answers the CLI shows; anything else is ignored. */
interface CreatedDeployment {
  deployment: { id: string; state: string; manifestVersion: string };
  orders: Array<{
    id: string;
    groupName: string;
    count: number;
    resources: Parameters<typeof resourcesLine>[0];
    additionalUnits?: Array<{ count: number; resources: Parameters<typeof resourcesLine>[0] }>;
    maxPricePerHour: string;
  }>;
}

interface ApiError {
  error: { code: string; message: string; fields?: Array<{ path: string; message: string; line?: number }> };
}

export async function deploy(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args);
  if (values.help) {
    io.out(DEPLOY_USAGE);
    return EXIT_OK;
  }
  const [file, ...extra] = positionals;
  if (!file) throw new UsageError("deploy needs a file", DEPLOY_USAGE);
  if (extra.length > 0) throw new UsageError(`unexpected argument: ${extra[0]}`, DEPLOY_USAGE);
  const apiKey = apiKeyOf(io.env);
  if (!apiKey) throw new UsageError("BIDCLOUD_API_KEY is not set", DEPLOY_USAGE);
  const sdl = await readSdl(file, io, DEPLOY_USAGE);

  const url = `${baseUrlOf(io.env)}/api/v1/deployments`;
  const request: RequestInit = {
    method: "POST",
    headers: {
      authorization: `Bearer ${apiKey}`,
      "content-type": "application/json",
      "idempotency-key": randomUUID(),
    },
    body: JSON.stringify(values["auto-accept"] ? { sdl, autoAccept: true } : { sdl }),
  };
  let response: Response;
  let body: string;
  try {
    ({ response, body } = await sendWithOneRetry(url, request, io));
  } catch (error) {
    io.err(`error: could not reach ${url}: ${reasonOf(error)}`);
    return EXIT_FAILED;
  }

  if (values.json) {
    io.out(body);
    return response.ok ? EXIT_OK : EXIT_FAILED;
  }
  const json = parseJson(body);
  if (!response.ok) {
    printApiError(response.status, json, body, file, io);
    return EXIT_FAILED;
  }
  if (!isCreatedDeployment(json)) {
    io.err(`error: unexpected answer from ${url} (HTTP ${response.status})`);
    return EXIT_FAILED;
  }
  printDeployment(json, io);
  return EXIT_OK;
}

async function sendWithOneRetry(
  url: string,
  request: RequestInit,
  io: CliIo,
): Promise<{ response: Response; body: string }> {
  const send = async () => {
    const response = await io.fetch(url, { ...request, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    return { response, body: await response.text() };
  };
  try {
    return await send();
  } catch (error) {
    const code = errorCodeOf(error);
    if (code === undefined || !RETRIED_NETWORK_ERRORS.has(code)) throw error;
    io.err(`warning: ${url}: ${code}; retrying once in ${RETRY_DELAY_MS / 1000} s`);
    await io.sleep(RETRY_DELAY_MS);
    return send();
  }
}

function printDeployment({ deployment, orders }: CreatedDeployment, io: CliIo): void {
  io.out(`Deployment ${deployment.id}  ${deployment.state}`);
  io.out(`  manifest version  ${deployment.manifestVersion}`);
  io.out(`  orders            ${orders.length}`);
  for (const order of orders) {
    const maxPrice = tryParseUsd(order.maxPricePerHour);
    const price = maxPrice === null ? order.maxPricePerHour : perHour(maxPrice);
    io.out(`  · ${order.id}  ${order.groupName}: ${replicasOf(order.count, order.resources)}`);
    for (const unit of order.additionalUnits ?? [])
      io.out(`      and ${replicasOf(unit.count, unit.resources)}`);
    io.out(`      at most ${price}`);
  }
}

function printApiError(status: number, json: unknown, body: string, file: string, io: CliIo): void {
  if (!isApiError(json)) {
    io.err(`error: HTTP ${status}${body ? `: ${body.slice(0, 500)}` : ""}`);
    return;
  }
  const { code, message, fields = [] } = json.error;
  io.err(`error: ${message} (${code})`);
  for (const field of fields) {
    io.err(
      field.line === undefined
        ? `  ${field.path}  ${field.message}`
        : `${file}:${field.line}  ${field.path}  ${field.message}`,
    );
  }
}

function parseCommandArgs(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        "auto-accept": { type: "boolean" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), DEPLOY_USAGE);
  }
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}

function isApiError(value: unknown): value is ApiError {
  const error = (value as ApiError | null)?.error;
  return typeof error?.message === "string" && typeof error.code === "string";
}

function isCreatedDeployment(value: unknown): value is CreatedDeployment {
  const candidate = value as CreatedDeployment | null;
  return typeof candidate?.deployment?.id === "string" && Array.isArray(candidate.orders);
}

function reasonOf(error: unknown): string {
  if (error instanceof Error && error.name === "TimeoutError")
    return `no answer in ${REQUEST_TIMEOUT_MS / 1000} s`;
  const cause =
    error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/** fetch (undici) wraps a network failure in a TypeError whose cause carries the system error code. */
function errorCodeOf(error: unknown): string | undefined {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === "string" ? cause.code : undefined;
}
