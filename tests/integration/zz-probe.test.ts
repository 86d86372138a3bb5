import { afterAll, beforeAll, it } from "vitest";
import { apiClient, orderInput } from "../support/api-client";
import { startApiServer } from "../support/api-server";

let server: Awaited<ReturnType<typeof startApiServer>>;
let api: ReturnType<typeof apiClient>;
beforeAll(async () => { server = await startApiServer(); api = apiClient(server.baseUrl); });
afterAll(async () => server.close());

it("probe", async () => {
  const t = await api.signUp(["tenant"]);
  const p = await api.provider();
  const show = (label: string, r: any) => console.log(label, r.status, JSON.stringify(r.body).slice(0, 300));
  show("pct", await api.call("GET", "/orders/%E0%A4%A", { key: t.key }));
  show("nulid", await api.call("GET", "/orders/%00", { key: t.key }));
  show("nulid2", await api.call("POST", "/bids/a%00b/accept", { key: t.key }));
  show("nulkeyid", await api.call("DELETE", "/api-keys/a%00b", { key: t.key }));
  show("nulinv", await api.call("DELETE", "/provider/inventory/a%00b", { key: p.key }));
  show("inf", await api.call("POST", "/orders", { key: t.key, rawBody: JSON.stringify(orderInput()).replace('"count":1', '"count":1e400') }));
  show("type", await api.call("POST", "/orders", { key: t.key, body: orderInput({ count: "2" }) }));
  show("arr", await api.call("POST", "/orders", { key: t.key, rawBody: "[]" }));
  show("provname", await api.call("PUT", "/provider", { key: p.key, body: { name: "a\u0000b", hostUri: "https://x.example", region: "us-west", attributes: {} } }));
  show("provattr", await api.call("PUT", "/provider", { key: p.key, body: { name: "ab", hostUri: "https://x.example", region: "us-west", attributes: { a: "\u0000" } } }));
  show("hosturi", await api.call("PUT", "/provider", { key: p.key, body: { name: "ab", hostUri: "https://x.exa\u0000mple", region: "us-west", attributes: {} } }));
  show("keyname", await api.call("POST", "/api-keys", { key: t.key, body: { name: "a\u0000b" } }));
  show("pw", await api.call("POST", "/accounts", { body: { email: "nul-pw@example.test", password: "correct horse\u0000battery" } }));
  show("idem", await api.call("POST", "/api-keys", { key: t.key, body: { name: "ok" }, headers: { "idempotency-key": "a".repeat(256) } }));
});
