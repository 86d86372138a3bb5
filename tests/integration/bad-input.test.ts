import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, inventoryInput, orderInput, type ApiResponse } from "../support/api-client";
import { startApiServer } from "../support/api-server";
import { closeSnapshotPool, marketSnapshot, queryRows } from "./market-snapshot";

/**
 * Every class of bad input on every route that reads a body, a query or a path parameter:
 * the answer is a 4xx that names the offending field (never a 500), and nothing changes.
 */

let server: Awaited<ReturnType<typeof startApiServer>>;
let api: ReturnType<typeof apiClient>;

interface Fixture {
  tenantKey: string;
  providerKey: string;
  accountIds: string[];
  orderId: string;
  bidId: string;
  apiKeyId: string;
  inventoryId: string;
}
let fixture: Fixture;

/** The address every refused sign-up tries; it must never come to exist. */
const SIGNUP_EMAIL = "bad-input-signup@example.test";
const ORDER_MAX_PRICE = "2.500000";
const ONE_MB = 1024 * 1024;
const GiB = 1024 ** 3;
const UNKNOWN_ID = "01a00000-0000-7000-8000-000000000000";
const TOO_LONG_ID = "a".repeat(101);

beforeAll(async () => {
  server = await startApiServer();
  api = apiClient(server.baseUrl);
  const tenant = await api.signUp(["tenant"]);
  const bidder = await api.provider();
  const provider = await api.provider();
  const order = await api.postOrder(tenant.key, { maxPricePerHour: ORDER_MAX_PRICE });
  const bid = await api.placeBid(bidder.key, order.id, "2.000000");
  const keys = await api.call("GET", "/api-keys", { key: tenant.key });
  fixture = {
    tenantKey: tenant.key,
    providerKey: provider.key,
    accountIds: [tenant.account.id, bidder.account.id, provider.account.id],
    orderId: order.id,
    bidId: bid.id,
    apiKeyId: keys.body.apiKeys[0].id,
    inventoryId: provider.inventory[0].id,
  };
});
afterAll(async () => {
  await closeSnapshotPool();
  await server.close();
});

async function worldState(): Promise<unknown> {
  const signups = await queryRows<{ count: string }>("SELECT count(*) FROM account WHERE email = $1", [
    SIGNUP_EMAIL,
  ]);
  return { market: await marketSnapshot(fixture.accountIds), signups: signups[0]?.count };
}

type Caller = "anonymous" | "tenant" | "provider";

interface BadInputCase {
  title: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string | ((f: Fixture) => string);
  as: Caller;
  body?: unknown;
  rawBody?: string;
  /** Send on a connection of its own; `chunked` omits Content-Length. */
  oversized?: "content-length" | "chunked";
  status: 400 | 404 | 413 | 422;
  /** Field paths the error must name. */
  fields?: string[];
}

function keyOf(as: Caller): string | undefined {
  if (as === "tenant") return fixture.tenantKey;
  if (as === "provider") return fixture.providerKey;
  return undefined;
}

async function send(testCase: BadInputCase): Promise<ApiResponse> {
  const path = typeof testCase.path === "function" ? testCase.path(fixture) : testCase.path;
  const key = keyOf(testCase.as);
  if (testCase.oversized) {
    const rawBody = testCase.rawBody ?? JSON.stringify(testCase.body);
    return api.callOnFreshConnection(testCase.method, path, {
      key,
      rawBody,
      chunked: testCase.oversized === "chunked",
    });
  }
  return api.call(testCase.method, path, { key, body: testCase.body, rawBody: testCase.rawBody });
}

// ------------------------------------------------------------------ valid bodies, bent one field at a time

type Json = Record<string, any>;

function bent<T>(base: () => T, change: (value: Json) => void): Json {
  const value = structuredClone(base()) as Json;
  change(value);
  return value;
}

const signUpBody = () => ({ email: SIGNUP_EMAIL, password: "correct horse battery", roles: ["tenant"] });
const apiKeyBody = () => ({ name: "ci" });
const profileBody = () => ({
  name: "Renamed Provider",
  hostUri: "https://renamed.example:8443",
  region: "eu-central",
  attributes: { tier: "gold" },
});
const inventoryBody = () => inventoryInput();
const orderBody = () => orderInput({ maxPricePerHour: "2.000000" });
const bidBody = () => ({ pricePerHour: "2.100000" });

const signUp = (change: (b: Json) => void) => bent(signUpBody, change);
const apiKey = (change: (b: Json) => void) => bent(apiKeyBody, change);
const profile = (change: (b: Json) => void) => bent(profileBody, change);
const inventory = (change: (b: Json) => void) => bent(inventoryBody, change);
const order = (change: (b: Json) => void) => bent(orderBody, change);
const bid = (change: (b: Json) => void) => bent(bidBody, change);

const pad = (body: Json) => JSON.stringify({ ...body, padding: "x".repeat(ONE_MB) });
const manyAttributes = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`key${i}`, "value"]));

interface BodyRoute {
  name: string;
  method: "POST" | "PUT";
  path: string | ((f: Fixture) => string);
  as: Caller;
  valid: () => Json;
  /** Fields an empty body must name as missing. */
  required: string[];
}

const bodyRoutes: BodyRoute[] = [
  {
    name: "POST /accounts",
    method: "POST",
    path: "/accounts",
    as: "anonymous",
    valid: signUpBody,
    required: ["email", "password"],
  },
  {
    name: "POST /api-keys",
    method: "POST",
    path: "/api-keys",
    as: "tenant",
    valid: apiKeyBody,
    required: ["name"],
  },
  {
    name: "PUT /provider",
    method: "PUT",
    path: "/provider",
    as: "provider",
    valid: profileBody,
    required: ["name", "hostUri", "region"],
  },
  {
    name: "POST /provider/inventory",
    method: "POST",
    path: "/provider/inventory",
    as: "provider",
    valid: inventoryBody,
    required: ["gpu", "cpuMillicores", "memoryBytes", "storageBytes"],
  },
  {
    name: "POST /orders",
    method: "POST",
    path: "/orders",
    as: "tenant",
    valid: orderBody,
    required: ["resources", "maxPricePerHour"],
  },
  {
    name: "POST /orders/{id}/bids",
    method: "POST",
    path: (f) => `/orders/${f.orderId}/bids`,
    as: "provider",
    valid: bidBody,
    required: ["pricePerHour"],
  },
];

/** Malformed JSON, an empty body and a body over 1 MB (with and without Content-Length), for every body route. */
const envelopeCases: BadInputCase[] = bodyRoutes.flatMap((route): BadInputCase[] => [
  {
    title: `${route.name}: malformed JSON`,
    ...route,
    rawBody: '{"name": "unterminated',
    status: 400,
    fields: ["(body)"],
  },
  {
    title: `${route.name}: a JSON array instead of an object`,
    ...route,
    rawBody: "[]",
    status: 422,
    fields: ["(body)"],
  },
  {
    title: `${route.name}: an empty body names the required fields`,
    ...route,
    rawBody: "",
    status: 422,
    fields: route.required,
  },
  {
    title: `${route.name}: a body over 1 MB with Content-Length`,
    ...route,
    rawBody: pad(route.valid()),
    oversized: "content-length",
    status: 413,
  },
  {
    title: `${route.name}: a chunked body over 1 MB`,
    ...route,
    rawBody: pad(route.valid()),
    oversized: "chunked",
    status: 413,
  },
]);

const fieldCases: BadInputCase[] = [
  // POST /accounts
  ...(
    [
      ["a missing email", signUp((b) => delete b.email), "email"],
      ["a missing password", signUp((b) => delete b.password), "password"],
      ["an email of the wrong type", signUp((b) => (b.email = 42)), "email"],
      ["roles of the wrong type", signUp((b) => (b.roles = "tenant")), "roles"],
      ["an email that is not an address", signUp((b) => (b.email = "not-an-email")), "email"],
      ["an email too long", signUp((b) => (b.email = `${"a".repeat(250)}@example.test`)), "email"],
      ["a password too short", signUp((b) => (b.password = "short")), "password"],
      ["a password too long", signUp((b) => (b.password = "p".repeat(201))), "password"],
      ["no roles", signUp((b) => (b.roles = [])), "roles"],
      ["too many roles", signUp((b) => (b.roles = ["tenant", "provider", "tenant"])), "roles"],
      ["the admin role", signUp((b) => (b.roles = ["admin"])), "roles.0"],
      ["an unknown field", signUp((b) => (b.isAdmin = true)), "isAdmin"],
    ] as const
  ).map(([what, body, field]): BadInputCase => ({
    title: `POST /accounts: ${what}`,
    method: "POST",
    path: "/accounts",
    as: "anonymous",
    body,
    status: 422,
    fields: [field],
  })),

  // POST /api-keys
  ...(
    [
      ["a missing name", apiKey((b) => delete b.name), "name"],
      ["a name of the wrong type", apiKey((b) => (b.name = 5)), "name"],
      ["a blank name", apiKey((b) => (b.name = "   ")), "name"],
      ["a name too long", apiKey((b) => (b.name = "k".repeat(65))), "name"],
      ["a name with a NUL character", apiKey((b) => (b.name = "ci\u0000key")), "name"],
      ["an unknown field", apiKey((b) => (b.scopes = ["all"])), "scopes"],
    ] as const
  ).map(([what, body, field]): BadInputCase => ({
    title: `POST /api-keys: ${what}`,
    method: "POST",
    path: "/api-keys",
    as: "tenant",
    body,
    status: 422,
    fields: [field],
  })),

  // PUT /provider
  ...(
    [
      ["a missing name", profile((b) => delete b.name), "name"],
      ["a missing hostUri", profile((b) => delete b.hostUri), "hostUri"],
      ["a missing region", profile((b) => delete b.region), "region"],
      ["a name of the wrong type", profile((b) => (b.name = 7)), "name"],
      ["attributes of the wrong type", profile((b) => (b.attributes = ["gpu"])), "attributes"],
      [
        "an attribute value of the wrong type",
        profile((b) => (b.attributes = { tier: 3 })),
        "attributes.tier",
      ],
      ["a name too long", profile((b) => (b.name = "n".repeat(81))), "name"],
      ["a region too long", profile((b) => (b.region = "r".repeat(65))), "region"],
      ["a region with spaces", profile((b) => (b.region = "us west")), "region"],
      ["a hostUri that is not http(s)", profile((b) => (b.hostUri = "ftp://files.example")), "hostUri"],
      ["a hostUri too long", profile((b) => (b.hostUri = `https://h.example/${"p".repeat(250)}`)), "hostUri"],
      ["more than 32 attributes", profile((b) => (b.attributes = manyAttributes)), "attributes"],
      [
        "an attribute value too long",
        profile((b) => (b.attributes = { tier: "g".repeat(129) })),
        "attributes.tier",
      ],
      [
        "an attribute key with spaces",
        profile((b) => (b.attributes = { "bad key": "x" })),
        "attributes.bad key",
      ],
      ["a name with a NUL character", profile((b) => (b.name = "Bad\u0000Name")), "name"],
      [
        "an attribute value with a NUL character",
        profile((b) => (b.attributes = { tier: "g\u0000" })),
        "attributes.tier",
      ],
      ["an unknown field", profile((b) => (b.status = "active")), "status"],
    ] as const
  ).map(([what, body, field]): BadInputCase => ({
    title: `PUT /provider: ${what}`,
    method: "PUT",
    path: "/provider",
    as: "provider",
    body,
    status: 422,
    fields: [field],
  })),

  // POST /provider/inventory
  ...(
    [
      ["a missing gpu", inventory((b) => delete b.gpu), "gpu"],
      ["a missing GPU count", inventory((b) => delete b.gpu.count), "gpu.count"],
      ["a missing cpuMillicores", inventory((b) => delete b.cpuMillicores), "cpuMillicores"],
      ["a GPU count of the wrong type", inventory((b) => (b.gpu.count = "8")), "gpu.count"],
      ["memoryBytes of the wrong type", inventory((b) => (b.memoryBytes = "1024")), "memoryBytes"],
      ["a fractional GPU count", inventory((b) => (b.gpu.count = 1.5)), "gpu.count"],
      ["a negative GPU count", inventory((b) => (b.gpu.count = -1)), "gpu.count"],
      ["negative GPU memory", inventory((b) => (b.gpu.memoryGiB = -80)), "gpu.memoryGiB"],
      ["negative cpuMillicores", inventory((b) => (b.cpuMillicores = -1)), "cpuMillicores"],
      ["negative memoryBytes", inventory((b) => (b.memoryBytes = -1)), "memoryBytes"],
      ["negative storageBytes", inventory((b) => (b.storageBytes = -1)), "storageBytes"],
      ["a GPU count too large", inventory((b) => (b.gpu.count = 65)), "gpu.count"],
      ["GPU memory too large", inventory((b) => (b.gpu.memoryGiB = 1025)), "gpu.memoryGiB"],
      ["cpuMillicores too large", inventory((b) => (b.cpuMillicores = 1_024_001)), "cpuMillicores"],
      ["memoryBytes too large", inventory((b) => (b.memoryBytes = 64 * 1024 ** 4 + 1)), "memoryBytes"],
      ["storageBytes too large", inventory((b) => (b.storageBytes = 2 ** 53)), "storageBytes"],
      ["an unknown GPU vendor", inventory((b) => (b.gpu.vendor = "intel")), "gpu.vendor"],
      ["an unknown GPU interface", inventory((b) => (b.gpu.interface = "nvlink")), "gpu.interface"],
      ["an unknown field in gpu", inventory((b) => (b.gpu.nvlink = true)), "gpu.nvlink"],
      ["an unknown field", inventory((b) => (b.rack = "r1")), "rack"],
    ] as const
  ).map(([what, body, field]): BadInputCase => ({
    title: `POST /provider/inventory: ${what}`,
    method: "POST",
    path: "/provider/inventory",
    as: "provider",
    body,
    status: 422,
    fields: [field],
  })),

  // POST /orders
  ...(
    [
      ["missing resources", order((b) => delete b.resources), "resources"],
      ["a missing GPU unit count", order((b) => delete b.resources.gpu.units), "resources.gpu.units"],
      ["missing cpuMillicores", order((b) => delete b.resources.cpuMillicores), "resources.cpuMillicores"],
      ["a missing maxPricePerHour", order((b) => delete b.maxPricePerHour), "maxPricePerHour"],
      ["resources of the wrong type", order((b) => (b.resources = "one h100")), "resources"],
      [
        "a GPU unit count of the wrong type",
        order((b) => (b.resources.gpu.units = "1")),
        "resources.gpu.units",
      ],
      ["a count of the wrong type", order((b) => (b.count = "2")), "count"],
      ["a region of the wrong type", order((b) => (b.region = 5)), "region"],
      ["attributes of the wrong type", order((b) => (b.attributes = ["gpu"])), "attributes"],
      ["a numeric maxPricePerHour", order((b) => (b.maxPricePerHour = 2.5)), "maxPricePerHour"],
      ["a maxPricePerHour in exponent form", order((b) => (b.maxPricePerHour = "1e3")), "maxPricePerHour"],
      [
        "a maxPricePerHour with a currency sign",
        order((b) => (b.maxPricePerHour = "$2.50")),
        "maxPricePerHour",
      ],
      ["a fractional GPU unit count", order((b) => (b.resources.gpu.units = 0.5)), "resources.gpu.units"],
      ["a negative GPU unit count", order((b) => (b.resources.gpu.units = -1)), "resources.gpu.units"],
      ["negative GPU memory", order((b) => (b.resources.gpu.memoryGiB = -1)), "resources.gpu.memoryGiB"],
      [
        "negative cpuMillicores",
        order((b) => (b.resources.cpuMillicores = -8000)),
        "resources.cpuMillicores",
      ],
      ["negative memoryBytes", order((b) => (b.resources.memoryBytes = -GiB)), "resources.memoryBytes"],
      ["negative storageBytes", order((b) => (b.resources.storageBytes = -GiB)), "resources.storageBytes"],
      ["a negative count", order((b) => (b.count = -1)), "count"],
      ["a zero count", order((b) => (b.count = 0)), "count"],
      ["a negative maxPricePerHour", order((b) => (b.maxPricePerHour = "-1.000000")), "maxPricePerHour"],
      ["a zero maxPricePerHour", order((b) => (b.maxPricePerHour = "0.000000")), "maxPricePerHour"],
      ["a GPU unit count too large", order((b) => (b.resources.gpu.units = 65)), "resources.gpu.units"],
      [
        "cpuMillicores too large",
        order((b) => (b.resources.cpuMillicores = 1_024_001)),
        "resources.cpuMillicores",
      ],
      [
        "memoryBytes too large",
        order((b) => (b.resources.memoryBytes = 64 * 1024 ** 4 + 1)),
        "resources.memoryBytes",
      ],
      [
        "storageBytes too large",
        order((b) => (b.resources.storageBytes = 2 ** 53)),
        "resources.storageBytes",
      ],
      ["a count too large", order((b) => (b.count = 101)), "count"],
      [
        "a maxPricePerHour too large",
        order((b) => (b.maxPricePerHour = "1000000.000001")),
        "maxPricePerHour",
      ],
      ["a region too long", order((b) => (b.region = "r".repeat(65))), "region"],
      ["more than 32 attributes", order((b) => (b.attributes = manyAttributes)), "attributes"],
      [
        "an attribute value with a NUL character",
        order((b) => (b.attributes = { tier: "\u0000" })),
        "attributes.tier",
      ],
      [
        "a maxPricePerHour with 7 decimals",
        order((b) => (b.maxPricePerHour = "2.1234567")),
        "maxPricePerHour",
      ],
      ["an unknown GPU vendor", order((b) => (b.resources.gpu.vendor = "intel")), "resources.gpu.vendor"],
      ["an unknown field", order((b) => (b.priority = "high")), "priority"],
      ["an unknown field in resources", order((b) => (b.resources.network = "10g")), "resources.network"],
      ["an unknown field in gpu", order((b) => (b.resources.gpu.colour = "green")), "resources.gpu.colour"],
    ] as const
  ).map(([what, body, field]): BadInputCase => ({
    title: `POST /orders: ${what}`,
    method: "POST",
    path: "/orders",
    as: "tenant",
    body,
    status: 422,
    fields: [field],
  })),
  {
    title: "POST /orders: a count of 1e400 (Infinity once parsed)",
    method: "POST",
    path: "/orders",
    as: "tenant",
    rawBody: JSON.stringify(orderBody()).replace(/"count":1/, '"count":1e400'),
    status: 422,
    fields: ["count"],
  },

  // POST /orders/{id}/bids
  ...(
    [
      ["a missing pricePerHour", bid((b) => delete b.pricePerHour), "pricePerHour"],
      ["a numeric pricePerHour", bid((b) => (b.pricePerHour = 2.1)), "pricePerHour"],
      ["a pricePerHour that is not a number", bid((b) => (b.pricePerHour = "cheap")), "pricePerHour"],
      ["a negative pricePerHour", bid((b) => (b.pricePerHour = "-2.000000")), "pricePerHour"],
      ["a zero pricePerHour", bid((b) => (b.pricePerHour = "0")), "pricePerHour"],
      ["a pricePerHour too large", bid((b) => (b.pricePerHour = "1000001")), "pricePerHour"],
      ["a pricePerHour with 7 decimals", bid((b) => (b.pricePerHour = "2.1000001")), "pricePerHour"],
      [
        "a pricePerHour one micro-dollar above the order's max",
        bid((b) => (b.pricePerHour = "2.500001")),
        "pricePerHour",
      ],
      [
        "a pricePerHour far above the order's max",
        bid((b) => (b.pricePerHour = "900.000000")),
        "pricePerHour",
      ],
      ["an unknown field", bid((b) => (b.note = "cheap")), "note"],
    ] as const
  ).map(([what, body, field]): BadInputCase => ({
    title: `POST /orders/{id}/bids: ${what}`,
    method: "POST",
    path: (f) => `/orders/${f.orderId}/bids`,
    as: "provider",
    body,
    status: 422,
    fields: [field],
  })),
];

/** Path parameters: not an id, too long, broken percent-encoding, and an id that does not exist. */
const pathRoutes: {
  name: string;
  method: "GET" | "POST" | "DELETE";
  path: (id: string) => string;
  as: Caller;
  body?: Json;
}[] = [
  { name: "DELETE /api-keys/{id}", method: "DELETE", path: (id) => `/api-keys/${id}`, as: "tenant" },
  {
    name: "DELETE /provider/inventory/{id}",
    method: "DELETE",
    path: (id) => `/provider/inventory/${id}`,
    as: "provider",
  },
  { name: "GET /orders/{id}", method: "GET", path: (id) => `/orders/${id}`, as: "tenant" },
  { name: "POST /orders/{id}/close", method: "POST", path: (id) => `/orders/${id}/close`, as: "tenant" },
  { name: "GET /orders/{id}/bids", method: "GET", path: (id) => `/orders/${id}/bids`, as: "tenant" },
  {
    name: "POST /orders/{id}/bids",
    method: "POST",
    path: (id) => `/orders/${id}/bids`,
    as: "provider",
    body: bidBody(),
  },
  { name: "POST /bids/{id}/close", method: "POST", path: (id) => `/bids/${id}/close`, as: "provider" },
  { name: "POST /bids/{id}/accept", method: "POST", path: (id) => `/bids/${id}/accept`, as: "tenant" },
  { name: "GET /leases/{id}", method: "GET", path: (id) => `/leases/${id}`, as: "tenant" },
  { name: "POST /leases/{id}/close", method: "POST", path: (id) => `/leases/${id}/close`, as: "tenant" },
];

const pathCases: BadInputCase[] = pathRoutes.flatMap((route): BadInputCase[] => [
  {
    title: `${route.name}: an id with characters no id has`,
    ...route,
    path: route.path("not%20an%20id"),
    status: 422,
    fields: ["id"],
  },
  {
    title: `${route.name}: an id with a NUL character`,
    ...route,
    path: route.path("abc%00def"),
    status: 422,
    fields: ["id"],
  },
  {
    title: `${route.name}: an id too long`,
    ...route,
    path: route.path(TOO_LONG_ID),
    status: 422,
    fields: ["id"],
  },
  {
    title: `${route.name}: an id with broken percent-encoding`,
    ...route,
    path: route.path("%E0%A4%A"),
    status: 400,
    fields: ["id"],
  },
  { title: `${route.name}: an id that does not exist`, ...route, path: route.path(UNKNOWN_ID), status: 404 },
]);

const queryCases: BadInputCase[] = [
  ...(
    [
      ["/orders", "tenant"],
      ["/provider/bids", "provider"],
      ["/leases", "tenant"],
    ] as const
  ).flatMap(([path, as]): BadInputCase[] =>
    (
      [
        ["a limit that is not a number", "limit=lots", "query.limit"],
        ["a fractional limit", "limit=1.5", "query.limit"],
        ["a negative limit", "limit=-1", "query.limit"],
        ["a zero limit", "limit=0", "query.limit"],
        ["a limit too large", "limit=201", "query.limit"],
        ["an unknown parameter", "sort=price", "query.sort"],
      ] as const
    ).map(([what, query, field]) => ({
      title: `GET ${path}: ${what}`,
      method: "GET",
      path: `${path}?${query}`,
      as,
      status: 422,
      fields: [field],
    })),
  ),
  {
    title: "GET /orders: an unknown state",
    method: "GET",
    path: "/orders?state=pending",
    as: "tenant",
    status: 422,
    fields: ["query.state"],
  },
  {
    title: "GET /orders: an unknown view",
    method: "GET",
    path: "/orders?view=all",
    as: "tenant",
    status: 422,
    fields: ["query.view"],
  },
  {
    title: "GET /leases: an unknown state",
    method: "GET",
    path: "/leases?state=running",
    as: "tenant",
    status: 422,
    fields: ["query.state"],
  },
  {
    title: "GET /events: an after that is not a number",
    method: "GET",
    path: "/events?after=latest",
    as: "tenant",
    status: 422,
    fields: ["query.after"],
  },
  {
    title: "GET /events: a negative after",
    method: "GET",
    path: "/events?after=-1",
    as: "tenant",
    status: 422,
    fields: ["query.after"],
  },
  {
    title: "GET /events: an after too large",
    method: "GET",
    path: `/events?after=${"9".repeat(20)}`,
    as: "tenant",
    status: 422,
    fields: ["query.after"],
  },
  {
    title: "GET /events: an unknown parameter",
    method: "GET",
    path: "/events?types=bid",
    as: "tenant",
    status: 422,
    fields: ["query.types"],
  },
];

describe.each([
  ["request envelopes (JSON, empty, over 1 MB)", envelopeCases],
  ["body fields", fieldCases],
  ["path parameters", pathCases],
  ["query parameters", queryCases],
] as const)("bad %s", (_, cases) => {
  it.each(cases.map((testCase) => [testCase.title, testCase] as const))(
    "%s: refused with a 4xx naming the field, and nothing changes",
    async (_title, testCase) => {
      const before = await worldState();
      const response = await send(testCase);

      expect(response.status).toBe(testCase.status);
      expect(response.body.error.code).toBeTypeOf("string");
      expect(response.body.error.message).not.toMatch(/something went wrong/);
      const paths = (response.body.error.fields ?? []).map((field: { path: string }) => field.path);
      for (const field of testCase.fields ?? []) expect(paths).toContain(field);
      for (const field of response.body.error.fields ?? []) expect(field.message).toBeTypeOf("string");
      expect(await worldState()).toEqual(before);
    },
  );
});

describe("a body that keeps coming", () => {
  it("is refused with 413 once it passes 1 MB, without waiting for the end", async () => {
    const before = await worldState();

    const answer = await api.streamUntilAnswered("POST", "/orders", {
      key: fixture.tenantKey,
      maxBytes: 64 * ONE_MB,
    });

    expect(answer.status).toBe(413);
    expect(answer.finishedSending).toBe(false);
    expect(answer.bytesSent).toBeLessThan(64 * ONE_MB);
    expect(await worldState()).toEqual(before);
  });
});

describe("what a refusal says", () => {
  it("tells a field of the wrong type from a missing one", async () => {
    const wrongType = await api.call("POST", "/orders", {
      key: fixture.tenantKey,
      body: order((b) => (b.count = "2")),
    });
    const missing = await api.call("POST", "/orders", {
      key: fixture.tenantKey,
      body: order((b) => delete b.maxPricePerHour),
    });

    expect(wrongType.body.error.fields).toEqual([
      { path: "count", message: expect.not.stringMatching(/required/) },
    ]);
    expect(missing.body.error.fields).toEqual([{ path: "maxPricePerHour", message: "is required" }]);
  });

  it("names every bad field of one request, not just the first", async () => {
    const response = await api.call("POST", "/orders", {
      key: fixture.tenantKey,
      body: order((b) => {
        b.resources.gpu.units = -1;
        b.count = 1000;
        b.maxPricePerHour = "1.0000001";
      }),
    });

    expect(response.status).toBe(422);
    const paths = response.body.error.fields.map((field: { path: string }) => field.path);
    expect(paths).toEqual(expect.arrayContaining(["resources.gpu.units", "count", "maxPricePerHour"]));
  });

  it("says a bid above the order's max price is above the max", async () => {
    const response = await api.call("POST", `/orders/${fixture.orderId}/bids`, {
      key: fixture.providerKey,
      body: { pricePerHour: "2.600000" },
    });

    expect(response.status).toBe(422);
    expect(response.body.error.fields).toEqual([
      { path: "pricePerHour", message: expect.stringContaining(ORDER_MAX_PRICE) },
    ]);
  });
});

describe("the fingerprint these tests compare", () => {
  it("changes when a valid request changes something, so an unchanged one means nothing happened", async () => {
    const before = await worldState();
    const placed = await api.call("POST", `/orders/${fixture.orderId}/bids`, {
      key: fixture.providerKey,
      body: bidBody(),
    });

    expect(placed.status).toBe(201);
    expect(await worldState()).not.toEqual(before);
  });
});
