import type { z } from "zod";
import type { Principal } from "@/lib/auth/principal";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

export interface RouteContext<P, Q, B> {
  request: Request;
  requestId: string;
  principal: Principal;
  params: P;
  query: Q;
  body: B;
  clientAddress: string;
  /** Re-checks the caller's key or session (and suspension); long-lived streams call it. */
  stillAuthorized: () => Promise<boolean>;
}

export interface RouteResult {
  status: number;
  body: unknown;
}

/** One REST route: dispatch and the OpenAPI document both read these. */
export interface RouteDefinition<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
> {
  method: HttpMethod;
  /** OpenAPI-style path under /api/v1, e.g. "/orders/{id}/bids". */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  /** "apiKey": Bearer key or a browser session; "public": no caller needed. */
  auth: "apiKey" | "public";
  params?: P;
  query?: Q;
  body?: B;
  /** Largest accepted body; 1 MiB when left out. Routes taking whole documents (an SDL) allow more. */
  maxBodyBytes?: number;
  /** Status and response schema for the document. */
  success: { status: number; description: string; schema?: z.ZodType };
  /** Error statuses this route can answer with, for the document. */
  errors: number[];
  /** Top-level response fields that are secrets: an idempotent replay shows a note instead. */
  secretFields?: string[];
  /** Streams and other raw responses return a Response. */
  handler: (context: RouteContext<z.output<P>, z.output<Q>, z.output<B>>) => Promise<RouteResult | Response>;
}

export function defineRoute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
  route: RouteDefinition<P, Q, B>,
): RouteDefinition {
  return route;
}
