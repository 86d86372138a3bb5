import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { apiRoutes } from "@/app/api/v1/_routes";
import { apiClient } from "../support/api-client";
import { startApiServer } from "../support/api-server";

/** GET /api/v1/openapi.json documents the route table it is generated from. */

let server: Awaited<ReturnType<typeof startApiServer>>;
let document: Record<string, any>;

beforeAll(async () => {
  server = await startApiServer();
  const response = await apiClient(server.baseUrl).call("GET", "/openapi.json");
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  document = response.body;
});
afterAll(async () => server.close());

const operation = (method: string, path: string) => document.paths?.[path]?.[method.toLowerCase()];
const requestSchema = (method: string, path: string) =>
  operation(method, path)?.requestBody?.content?.["application/json"]?.schema;

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1 with a title, a version and a server under /api/v1, served without a key", () => {
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(document.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(document.servers[0].url).toMatch(/\/api\/v1$/);
  });

  it.each(apiRoutes.map((route) => [route.method, route.path, route] as const))(
    "documents %s %s with its operation id, its path parameters and its success answer",
    (method, path, route) => {
      const documented = operation(method, path);
      expect(documented).toBeDefined();
      expect(documented.operationId).toBe(route.operationId);
      const pathParameters = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      const declared = (documented.parameters as { name: string; in: string; required: boolean }[]).filter(
        (parameter) => parameter.in === "path",
      );
      expect(declared.map((parameter) => parameter.name).sort()).toEqual(pathParameters.sort());
      expect(declared.every((parameter) => parameter.required)).toBe(true);
      expect(documented.responses[String(route.success.status)]).toBeDefined();
    },
  );

  it("documents nothing the route table does not have", () => {
    const routes = new Set(apiRoutes.map((route) => `${route.method} ${route.path}`));
    const documented = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.filter((entry) => !routes.has(entry))).toEqual([]);
    expect(documented).toHaveLength(routes.size);
  });

  it.each(apiRoutes.filter((route) => route.body).map((route) => [route.method, route.path, route] as const))(
    "gives %s %s a JSON request body schema with the fields its validator reads",
    (method, path, route) => {
      const schema = requestSchema(method, path);
      expect(schema).toMatchObject({ type: "object", additionalProperties: false });
      const validated = z.toJSONSchema(route.body!, { io: "input", unrepresentable: "any" }) as {
        properties: object;
        required?: string[];
      };
      expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(validated.properties).sort());
      expect([...(schema.required ?? [])].sort()).toEqual([...(validated.required ?? [])].sort());
    },
  );

  it("gives every POST and PUT that takes input a request body", () => {
    const withoutBody = apiRoutes
      .filter((route) => (route.method === "POST" || route.method === "PUT") && !route.body)
      .map((route) => route.path);
    // Actions on an existing resource (close, accept, retry) and the faucet take nothing but the id in the path.
    expect(
      withoutBody.filter((path) => !/\/\{id\}\/(close|accept|retry)$|^\/wallet\/faucet$/.test(path)),
    ).toEqual([]);
  });

  it("describes money as a decimal string and sizes as integers in CreateOrder", () => {
    const schema = requestSchema("POST", "/orders");

    expect(schema.properties.maxPricePerHour).toMatchObject({ type: "string", pattern: expect.any(String) });
    const pattern = new RegExp(schema.properties.maxPricePerHour.pattern);
    expect(pattern.test("2.450000")).toBe(true);
    expect(pattern.test("2.4500001")).toBe(false);
    expect(pattern.test("-1")).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(["resources", "maxPricePerHour"]));
    expect(schema.properties.resources.properties.memoryBytes.type).toBe("integer");
    expect(schema.properties.resources.properties.gpu.properties.units.type).toBe("integer");
  });

  it("describes a bid's price as a decimal string and a lease's price likewise", () => {
    expect(requestSchema("POST", "/orders/{id}/bids").properties.pricePerHour.type).toBe("string");
    const lease = operation("POST", "/bids/{id}/accept").responses["201"].content["application/json"].schema;
    expect(lease.properties.lease.properties.pricePerHour.type).toBe("string");
  });

  it("marks keyed routes with the bearer scheme and public ones with none", () => {
    expect(document.components.securitySchemes.apiKey).toMatchObject({ type: "http", scheme: "bearer" });
    for (const route of apiRoutes) {
      expect(operation(route.method, route.path).security).toEqual(
        route.auth === "apiKey" ? [{ apiKey: [] }] : [],
      );
    }
  });

  it("documents the Idempotency-Key header on every POST", () => {
    for (const route of apiRoutes.filter((r) => r.method === "POST")) {
      const header = operation(route.method, route.path).parameters.find(
        (parameter: { in: string; name: string }) =>
          parameter.in === "header" && parameter.name === "Idempotency-Key",
      );
      expect(header, `${route.method} ${route.path}`).toBeDefined();
    }
  });

  it("has every $ref pointing at a schema it defines", () => {
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"([^"]+)"/g)].map((match) => match[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of new Set(refs)) {
      const target = ref
        .replace(/^#\//, "")
        .split("/")
        .reduce<any>((node, segment) => node?.[segment], document);
      expect(target, ref).toBeDefined();
    }
  });
});
