import { randomUUID } from "node:crypto";
import { z } from "zod";
import { authenticateApiKey, principalForAccount } from "@/lib/accounts/authenticate";
import type { Principal } from "@/lib/auth/principal";
import { accountIdFromCookieHeader } from "@/lib/auth/session-token";
import { translateDbError } from "@/lib/db";
import { AppError, isAppError } from "@/lib/errors";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { errorResponse, json, validationFailure } from "./http";
import { peerAddressOf } from "./node-adapter";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  releaseIdempotencyKey,
  requestHash,
} from "./idempotency";
import type { HttpMethod, RouteDefinition } from "./route";

export const API_PREFIX = "/api/v1";
const MAX_BODY_BYTES = 1024 * 1024;

const ANONYMOUS: Principal = { accountId: "", email: null, ethAddress: null, roles: [] };

interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  paramNames: string[];
}

function compile(route: RouteDefinition): CompiledRoute {
  const paramNames: string[] = [];
  const source = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    paramNames.push(name);
    return "([^/]+)";
  });
  return { route, pattern: new RegExp(`^${source}/?$`), paramNames };
}

/**
 * The client's address for rate limits: the socket's peer when this process holds the
 * socket, else the first X-Forwarded-For entry (written by a trusted proxy with
 * TRUST_PROXY, or by scripts/serve.ts from the socket), else one shared bucket.
 */
export function clientAddressOf(request: Request): string {
  const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  if (env().TRUST_PROXY && forwarded) return forwarded;
  return peerAddressOf(request) ?? forwarded ?? "direct";
}

/** A browser session may only change things from our own pages: the Origin must be ours. */
function assertSameOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") {
    throw new AppError("FORBIDDEN", "cross-site requests are not allowed");
  }
  if (origin) {
    const allowed = new Set([new URL(env().APP_URL).origin, new URL(request.url).origin]);
    if (!allowed.has(origin)) throw new AppError("FORBIDDEN", "cross-site requests are not allowed");
  }
}

async function authenticate(request: Request, mutating: boolean): Promise<Principal> {
  const authorization = request.headers.get("authorization");
  if (authorization) {
    const [scheme, token] = authorization.split(" ");
    if (scheme?.toLowerCase() !== "bearer" || !token) {
      throw new AppError("UNAUTHENTICATED", "use Authorization: Bearer <api key>");
    }
    return authenticateApiKey(token);
  }
  const accountId = await accountIdFromCookieHeader(request.headers.get("cookie"));
  if (!accountId)
    throw new AppError("UNAUTHENTICATED", "an API key is required (Authorization: Bearer <api key>)");
  if (mutating) assertSameOrigin(request);
  return principalForAccount(accountId);
}

/** Reads at most `limit` bytes: a chunked body without Content-Length is refused as soon as it passes the limit. */
async function readLimitedText(request: Request, limit: number): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      reader.releaseLock();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

function tooLarge(limit: number): AppError {
  return new AppError("PAYLOAD_TOO_LARGE", `the request body is larger than ${limit / (1024 * 1024)} MiB`, {
    fields: [{ path: "(body)", message: `must be at most ${limit / (1024 * 1024)} MiB` }],
  });
}

async function readBody(request: Request, limit: number): Promise<{ text: string; value: unknown }> {
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > limit) throw tooLarge(limit);
  const text = await readLimitedText(request, limit);
  if (text.trim() === "") return { text, value: undefined };
  try {
    return { text, value: JSON.parse(text) as unknown };
  } catch {
    throw new AppError("BAD_REQUEST", "the request body is not valid JSON", {
      fields: [{ path: "(body)", message: "is not valid JSON" }],
    });
  }
}

function decodePathParam(name: string, value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new AppError("BAD_REQUEST", `the ${name} in the URL is not valid percent-encoding`, {
      fields: [{ path: name, message: "is not valid percent-encoding" }],
    });
  }
}

function parseWith<S extends z.ZodType>(schema: S | undefined, value: unknown, prefix?: string): unknown {
  if (!schema) return undefined;
  // reportInput lets the field errors tell a missing field from one of the wrong type.
  const parsed = schema.safeParse(value, { reportInput: true });
  if (!parsed.success) throw validationFailure(parsed.error, prefix);
  return parsed.data;
}

/** A replayed response must not reveal a secret that is shown once, so the stored copy omits it. */
function withoutSecrets(body: unknown, secretFields: string[] | undefined): unknown {
  if (!secretFields?.length || !body || typeof body !== "object") return body;
  const stored: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  for (const field of secretFields) {
    if (field in stored)
      stored[field] = "(shown once, in the first response; create a new key if it was lost)";
  }
  return stored;
}

export function createDispatcher(routes: RouteDefinition[]) {
  const compiled = routes.map(compile);

  return async function dispatch(request: Request): Promise<Response> {
    const requestId = randomUUID();
    const url = new URL(request.url);
    const path = url.pathname.startsWith(API_PREFIX)
      ? url.pathname.slice(API_PREFIX.length) || "/"
      : url.pathname;
    const method = request.method.toUpperCase() as HttpMethod;

    const forPath = compiled.filter((entry) => entry.pattern.test(path));
    const match = forPath.find((entry) => entry.route.method === method);
    if (!match) {
      if (forPath.length > 0) {
        return json(
          405,
          { error: { code: "METHOD_NOT_ALLOWED", message: `${method} is not allowed here`, requestId } },
          {
            allow: forPath.map((entry) => entry.route.method).join(", "),
          },
        );
      }
      return errorResponse(new AppError("NOT_FOUND", `no route ${method} ${API_PREFIX}${path}`), requestId);
    }
    const { route } = match;
    let claim: { scope: string; key: string } | null = null;
    try {
      const mutating = method !== "GET";
      const principal = route.auth === "apiKey" ? await authenticate(request, mutating) : ANONYMOUS;
      const values = match.pattern.exec(path)?.slice(1) ?? [];
      const rawParams = Object.fromEntries(
        match.paramNames.map((name, i) => [name, decodePathParam(name, values[i] ?? "")]),
      );
      const params = parseWith(route.params, rawParams);
      const query = parseWith(route.query, Object.fromEntries(url.searchParams), "query");
      const { text, value } = route.body
        ? await readBody(request, route.maxBodyBytes ?? MAX_BODY_BYTES)
        : { text: "", value: undefined };
      const body = parseWith(route.body, value ?? {});

      const idempotencyKey = method === "POST" ? request.headers.get("idempotency-key") : null;
      if (idempotencyKey !== null) {
        const scope = principal.accountId || `public:${clientAddressOf(request)}`;
        const outcome = await claimIdempotencyKey(scope, idempotencyKey, requestHash(method, path, text));
        if (outcome.kind === "replay") {
          return json(outcome.status, outcome.body, {
            "idempotent-replayed": "true",
            "x-request-id": requestId,
          });
        }
        claim = outcome;
      }

      const result = await route.handler({
        request,
        requestId,
        principal,
        params,
        query,
        body,
        clientAddress: clientAddressOf(request),
        stillAuthorized: async () => {
          if (route.auth !== "apiKey") return true;
          return authenticate(request, false).then(
            () => true,
            () => false,
          );
        },
      });
      if (result instanceof Response) return result;
      if (claim) {
        // The change is committed: failing to store its answer must not turn it into a 500
        // (a retry would then run it twice). The key stays claimed; retries get 409 until it expires.
        await completeIdempotencyKey(
          claim,
          result.status,
          withoutSecrets(result.body, route.secretFields),
        ).catch((error: unknown) =>
          logger.error("could not store an idempotent response", { requestId, error }),
        );
      }
      return json(result.status, result.body, { "x-request-id": requestId });
    } catch (caught) {
      const error = translateDbError(caught);
      if (isAppError(error)) {
        const response = errorResponse(error, requestId);
        if (claim) {
          // A retry later may succeed where a rate limit refused now: such answers are not kept.
          if (error.code === "RATE_LIMITED") await releaseIdempotencyKey(claim);
          else {
            const body: unknown = await response.clone().json();
            await completeIdempotencyKey(claim, response.status, body).catch(() => undefined);
          }
        }
        return response;
      }
      if (request.signal.aborted) {
        // The client went away mid-request; nothing to answer and nothing wrong on our side.
        logger.debug("client closed the connection", { requestId, method, path });
        if (claim) await releaseIdempotencyKey(claim);
        return new Response(null, { status: 499 });
      }
      logger.error("unexpected error", { requestId, method, path, error });
      if (claim) await releaseIdempotencyKey(claim);
      return json(500, {
        error: {
          code: "INTERNAL",
          message: `something went wrong on our side (reference ${requestId})`,
          requestId,
        },
      });
    }
  };
}
