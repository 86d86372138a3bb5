import { z } from "zod";
import { env } from "@/lib/env";
import { createDispatcher } from "../_lib/dispatch";
import { buildOpenApiDocument } from "../_lib/openapi";
import { defineRoute, type RouteDefinition } from "../_lib/route";
import { accountRoutes } from "./accounts";
import { deploymentRoutes } from "./deployments";
import { escrowRoutes } from "./escrow";
import { eventRoutes } from "./events";
import { leaseLogStreamRoutes } from "./lease-log-stream";
import { marketRoutes } from "./market";
import { verifyRoutes } from "./verify";

const documentedRoutes: RouteDefinition[] = [
  ...accountRoutes,
  ...marketRoutes,
  ...deploymentRoutes,
  ...escrowRoutes,
  ...verifyRoutes,
  ...leaseLogStreamRoutes,
  ...eventRoutes,
];

let cachedDocument: Record<string, unknown> | undefined;

const openApiRoute = defineRoute({
  method: "GET",
  path: "/openapi.json",
  operationId: "getOpenApi",
  summary: "This document",
  tag: "meta",
  auth: "public",
  success: { status: 200, description: "OpenAPI 3.1", schema: z.record(z.string(), z.unknown()) },
  errors: [],
  handler: async () => {
    cachedDocument ??= buildOpenApiDocument(apiRoutes, env().APP_URL);
    return { status: 200, body: cachedDocument };
  },
});

export const apiRoutes: RouteDefinition[] = [...documentedRoutes, openApiRoute];

export const dispatchApi = createDispatcher(apiRoutes);
