import { z } from "zod";
import type { RouteDefinition } from "./route";

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "Malformed request (bad JSON, bad header)",
  401: "Missing or invalid API key",
  403: "Wrong role or not the owner, or a suspended account",
  404: "Not found",
  409: "State conflict (e.g. the order is no longer open)",
  413: "Body larger than the route allows (1 MiB unless stated)",
  422: "Invalid input; error.fields names each bad field",
  429: "Too many attempts",
};

const ErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    requestId: z.string().optional(),
    fields: z
      .array(z.object({ path: z.string(), message: z.string(), line: z.number().int().optional() }))
      .optional(),
  }),
});

function jsonSchema(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  return rest;
}

function parametersOf(route: RouteDefinition): unknown[] {
  const parameters: unknown[] = [];
  for (const [location, schema] of [
    ["path", route.params],
    ["query", route.query],
  ] as const) {
    if (!schema) continue;
    const object = jsonSchema(schema, "input") as {
      properties?: Record<string, unknown>;
      required?: string[];
    };
    for (const [name, property] of Object.entries(object.properties ?? {})) {
      parameters.push({
        name,
        in: location,
        required: location === "path" || (object.required ?? []).includes(name),
        schema: property,
      });
    }
  }
  if (route.method === "POST") {
    parameters.push({
      name: "Idempotency-Key",
      in: "header",
      required: false,
      description:
        "The same key and body replay the first response; the same key with another body is refused.",
      schema: { type: "string", maxLength: 255 },
    });
  }
  return parameters;
}

/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
export function buildOpenApiDocument(routes: RouteDefinition[], serverUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const responses: Record<string, unknown> = {
      [String(route.success.status)]: {
        description: route.success.description,
        ...(route.success.schema
          ? { content: { "application/json": { schema: jsonSchema(route.success.schema, "output") } } }
          : route.path === "/events"
            ? { content: { "text/event-stream": { schema: { type: "string" } } } }
            : {}),
      },
    };
    for (const status of route.errors) {
      responses[String(status)] = {
        description: ERROR_DESCRIPTIONS[status] ?? "Error",
        content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
      };
    }
    const operation: Record<string, unknown> = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [route.tag],
      parameters: parametersOf(route),
      responses,
      security: route.auth === "apiKey" ? [{ apiKey: [] }] : [],
    };
    if (route.body) {
      operation.requestBody = {
        required: true,
        content: { "application/json": { schema: jsonSchema(route.body, "input") } },
      };
    }
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operation;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Bidcloud API",
      version: "1.0.0",
      description:
        "GPU marketplace: providers list inventory and bid on orders; tenants post orders and accept bids. Money is a decimal USD string with at most 6 decimals; sizes are integers.",
    },
    servers: [{ url: `${serverUrl}/api/v1` }],
    components: {
      securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "An API key: bc_..." } },
      schemas: { Error: jsonSchema(ErrorSchema, "output") },
    },
    paths,
  };
}
