import { afterAll, beforeAll, it } from "vitest";
import { apiClient, orderInput } from "../support/api-client";
import { startApiServer } from "../support/api-server";

let server: Awaited<ReturnType<typeof startApiServer>>;
let api: ReturnType<typeof apiClient>;
beforeAll(async () => { server = await startApiServer(); api = apiClient(server.baseUrl); });
afterAll(async () => server.close());

it("probe", async () => {
  const t = await api.signUp(["tenant"]);
  const show = (label: string, r: any) => console.log(label, r.status, JSON.stringify(r.body).slice(0, 400));
  show("pct", await api.call("GET", "/orders/%E0%A4%A", { key: t.key }));
  show("inf", await api.call("POST", "/orders", { key: t.key, rawBody: JSON.stringify(orderInput()).replace('"count":1', '"count":1e400') }));
  show("null", await api.call("POST", "/orders", { key: t.key, rawBody: "null" }));
  show("arr", await api.call("POST", "/orders", { key: t.key, rawBody: "[]" }));
  show("empty", await api.call("POST", "/orders", { key: t.key, rawBody: "" }));
  for (let i = 0; i < 5; i++) show("big", await api.call("POST", "/orders", { key: t.key, body: { ...orderInput(), pad: "x".repeat(1024 * 1024) } }));
  for (let i = 0; i < 5; i++) show("after", await api.call("GET", "/me", { key: t.key }));
  show("7dec", await api.call("POST", "/orders", { key: t.key, body: orderInput({ maxPricePerHour: "2.1234567" }) }));
  show("unk", await api.call("POST", "/orders", { key: t.key, body: { ...orderInput(), resources: { ...orderInput().resources, gpu: { units: 1, colour: "red" } } } }));
  show("q", await api.call("GET", "/orders?limit=-1&foo=2", { key: t.key }));
  show("ev", await api.call("GET", "/events?after=abc", { key: t.key }));
  show("longid", await api.call("GET", "/orders/" + "a".repeat(101), { key: t.key }));
  show("attrs", await api.call("POST", "/orders", { key: t.key, body: orderInput({ attributes: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, "v"])) }) }));
  show("attrkey", await api.call("POST", "/orders", { key: t.key, body: orderInput({ attributes: { "bad key!": "v" } }) }));
  show("nul", await api.call("POST", "/orders", { key: t.key, body: orderInput({ region: "us\u0000west" }) }));
  show("email", await api.call("POST", "/accounts", { body: { email: "x\u0000@example.test", password: "correct horse battery" } }));
  show("attrval", await api.call("POST", "/orders", { key: t.key, body: orderInput({ attributes: { k: "a\u0000b" } }) }));
  const chunked = await fetch(`${server.baseUrl}/api/v1/orders`, { method: "POST", headers: { authorization: `Bearer ${t.key}`, "content-type": "application/json" }, body: new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("x".repeat(1024 * 1024 + 10))); c.close(); } }), duplex: "half" } as RequestInit);
  console.log("chunked", chunked.status, await chunked.text());
  const doc = await api.call("GET", "/openapi.json");
  console.log(JSON.stringify(doc.body.paths["/orders"].post.requestBody).slice(0, 3000));
});
