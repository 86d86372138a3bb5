import {
  expect,
  test,
  type APIRequestContext,
  type BrowserContext,
  type Locator,
  type Page,
} from "@playwright/test";

/**
 * The provider's and the admin's side of the marketplace, driven through their dashboards as
 * people use them: a provider signs up in the browser, registers and lists an L40S machine,
 * sees a tenant's order arrive without a reload, bids (and is told when a bid is too high),
 * watches the accepted lease allocate its GPUs and closes it; manages its API keys; and the
 * demo admin suspends and reinstates the provider's account.
 *
 * The tests run in order and share the provider's browser session. The tenant works through
 * the REST API with its API key, as scripts and agents do.
 */

test.describe.configure({ mode: "serial" });

const GiB = 1024 ** 3;
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const REGION = `e2e-pa-${run}`;
const PROVIDER_NAME = `E2E L40S Farm ${run}`;
const HOST_URI = `https://l40s-${run}.e2e-farm.example:8443`;
const providerLogin = { email: `provider-pa-${run}@e2e.bidcloud.test`, password: "provider-password-e2e" };
const tenantLogin = { email: `tenant-pa-${run}@e2e.bidcloud.test`, password: "tenant-password-e2e" };
const adminLogin = { email: "admin@demo.bidcloud", password: "bidcloud-demo" };

/** What the order asks for, as the provider dashboard labels it. */
const ORDER_LABEL = "1× L40S";
const ORDER_MAX = "$1.20/h";
const BID_PRICE = "$0.95/h";

let providerContext: BrowserContext;
let providerPage: Page;
let tenantKey = "";
let orderId = "";
/** An API key the provider creates on the settings page and keeps (the "ci" key is revoked). */
let agentKey = "";

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `artifacts/screenshots/${name}.png`, fullPage: true });
}

/** A dashboard card (a section) by its heading. */
function card(page: Page, title: string): Locator {
  return page
    .locator("section")
    .filter({ has: page.getByRole("heading", { level: 2, name: title, exact: true }) });
}

function bearer(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}

async function meStatus(request: APIRequestContext, key: string): Promise<number> {
  return (await request.get("/api/v1/me", { headers: bearer(key) })).status();
}

test.beforeAll(async ({ browser }, workerInfo) => {
  providerContext = await browser.newContext({ baseURL: workerInfo.project.use.baseURL });
  providerPage = await providerContext.newPage();
});

test.afterAll(async () => {
  await providerContext?.close();
});

test("a provider signs up in the browser, registers its profile and lists an L40S machine", async () => {
  const page = providerPage;

  await test.step("signs up with the provider role", async () => {
    await page.goto("/sign-up?role=provider");
    await expect(page.getByRole("checkbox", { name: /Provide GPUs/ })).toBeChecked();
    await expect(page.getByRole("checkbox", { name: /Rent GPUs/ })).not.toBeChecked();
    await page.getByLabel("Email").fill(providerLogin.email);
    await page.getByLabel("Password").fill(providerLogin.password);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL("**/provider");
    await expect(page.getByRole("heading", { level: 1, name: "Register as a provider" })).toBeVisible();
  });

  await test.step("registers name, host URI, region and an attribute", async () => {
    await page.getByLabel("Provider name").fill(PROVIDER_NAME);
    await page.getByLabel("Region").fill(REGION);
    await page.getByLabel("Host URI").fill(HOST_URI);
    await page.getByLabel("Attribute 1 key").fill("tier");
    await page.getByLabel("Attribute 1 value").fill("datacenter");
    await page.getByRole("button", { name: "Register provider" }).click();

    await expect(page.getByRole("heading", { level: 1 })).toHaveText(PROVIDER_NAME);
    await expect(page.getByText(`Provider in ${REGION}`)).toBeVisible();
    await expect(page.getByText(HOST_URI)).toBeVisible();
    await expect(page.getByLabel("Attribute 1 key")).toHaveValue("tier");
    await expect(page.getByLabel("Attribute 1 value")).toHaveValue("datacenter");
    await expect(card(page, "Inventory")).toContainText("No inventory listed");
    await expect(card(page, "Open orders you can serve")).toContainText("List inventory to see orders");
    await screenshot(page, "provider-registered");
  });

  await test.step("adds 4× NVIDIA L40S 48 GiB PCIe with the Add inventory form", async () => {
    const form = card(page, "Add inventory");
    await expect(form.getByLabel("Vendor")).toHaveValue("nvidia");
    await form.getByLabel("Model", { exact: true }).fill("l40s");
    await form.getByLabel("VRAM per GPU").fill("48");
    await form.getByLabel("Interface").selectOption("pcie");
    await form.getByLabel("GPU count").fill("4");
    await form.getByLabel("CPU", { exact: true }).fill("64");
    await form.getByLabel("Memory", { exact: true }).fill("512");
    await form.getByLabel("Storage", { exact: true }).fill("4096");
    await form.getByRole("button", { name: "Add inventory" }).click();
    await expect(form.getByRole("status")).toHaveText("Listed 4× L40S.");

    const row = card(page, "Inventory").getByRole("row").filter({ hasText: "NVIDIA L40S" });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("48 GiB");
    await expect(row).toContainText("PCIe");
    await expect(row).toContainText("4 free / 4");
    await expect(row).toContainText("64 vCPU");
    await expect(row).toContainText("512 GiB");
    await expect(row).toContainText("4 TiB");
    await expect(row.getByText("free", { exact: true })).toBeVisible();
    await expect(row.getByRole("meter", { name: "NVIDIA L40S GPUs in use" })).toHaveAttribute(
      "aria-valuetext",
      "0 of 4 in use",
    );
    await expect(page.getByRole("button", { name: "Remove 4× NVIDIA L40S" })).toBeVisible();
    await expect(card(page, "Open orders you can serve")).toContainText(
      "No open orders fit your free capacity right now",
    );
    await screenshot(page, "provider-inventory");
  });
});

test("a tenant's order appears live on the provider's dashboard and the provider bids on it", async ({
  request,
}) => {
  const page = providerPage;
  const orders = card(page, "Open orders you can serve");
  const orderRow = orders.getByRole("listitem").filter({ hasText: `Region ${REGION}` });

  await test.step("the provider's dashboard is connected to the live stream", async () => {
    await expect(page.getByRole("status").filter({ hasText: "Live" })).toBeVisible();
    // A marker on the window survives only as long as the page is not reloaded.
    await page.evaluate(() => ((window as unknown as { e2eMarker: string }).e2eMarker = "same page"));
  });

  await test.step("a tenant signs up and posts an order through the API", async () => {
    const signUp = await request.post("/api/v1/accounts", {
      data: { email: tenantLogin.email, password: tenantLogin.password, roles: ["tenant"] },
    });
    expect(signUp.status()).toBe(201);
    tenantKey = ((await signUp.json()) as { apiKey: string }).apiKey;

    const order = await request.post("/api/v1/orders", {
      headers: bearer(tenantKey),
      data: {
        resources: {
          gpu: { units: 1, model: "l40s" },
          cpuMillicores: 8_000,
          memoryBytes: 64 * GiB,
          storageBytes: 500 * GiB,
        },
        region: REGION,
        maxPricePerHour: "1.200000",
      },
    });
    expect(order.status()).toBe(201);
    orderId = ((await order.json()) as { order: { id: string } }).order.id;
  });

  await test.step("the order shows under “Open orders you can serve” without a reload", async () => {
    await expect(orderRow).toHaveCount(1);
    await expect(orderRow).toContainText(ORDER_LABEL);
    await expect(orderRow).toContainText(`Max ${ORDER_MAX}`);
    await expect(orderRow).toContainText(orderId.slice(-6));
    await expect(orderRow.getByText("new", { exact: true })).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { e2eMarker?: string }).e2eMarker)).toBe(
      "same page",
    );
    await screenshot(page, "provider-live-order");
  });

  const priceBox = orderRow.getByLabel(`Your price per hour for ${ORDER_LABEL}, at most ${ORDER_MAX}`);

  await test.step("a bid above the max price is refused inline and creates nothing", async () => {
    await priceBox.fill("5.00");
    await orderRow.getByRole("button", { name: "Bid" }).click();
    const error = orderRow.getByRole("alert");
    await expect(error).toHaveText(`Must be at most the order's max price of ${ORDER_MAX}`);
    await expect(priceBox).toHaveAttribute("aria-invalid", "true");
    await expect(priceBox).toHaveValue("5.00");
    await expect(card(page, "Your bids")).toContainText("No bids yet");

    const bids = await request.get(`/api/v1/orders/${orderId}/bids`, { headers: bearer(tenantKey) });
    expect(bids.status()).toBe(200);
    expect(((await bids.json()) as { bids: unknown[] }).bids).toHaveLength(0);
    await screenshot(page, "provider-bid-error");
  });

  await test.step("a bid at $0.95/h is placed and listed under “Your bids” as open", async () => {
    await priceBox.fill("0.95");
    await orderRow.getByRole("button", { name: "Bid" }).click();
    await expect(orderRow.getByText("bid placed")).toBeVisible();
    await expect(orderRow).toContainText(BID_PRICE);

    const bidRow = card(page, "Your bids").getByRole("row").filter({ hasText: ORDER_LABEL });
    await expect(bidRow).toHaveCount(1);
    await expect(bidRow).toContainText(BID_PRICE);
    await expect(bidRow).toContainText(ORDER_MAX);
    await expect(bidRow.getByText("open", { exact: true })).toBeVisible();
    await expect(bidRow.getByRole("button", { name: `Close bid on ${ORDER_LABEL}` })).toBeVisible();
  });
});

test("the tenant accepts the bid; the provider sees the lease, its GPUs allocated, and closes it", async ({
  request,
}) => {
  const page = providerPage;
  const inventoryRow = card(page, "Inventory").getByRole("row").filter({ hasText: "NVIDIA L40S" });
  const meter = inventoryRow.getByRole("meter", { name: "NVIDIA L40S GPUs in use" });
  const leaseRow = card(page, "Your leases").getByRole("row").filter({ hasText: ORDER_LABEL });

  await test.step("the tenant accepts the provider's bid through the API", async () => {
    const list = await request.get(`/api/v1/orders/${orderId}/bids`, { headers: bearer(tenantKey) });
    expect(list.status()).toBe(200);
    const { bids } = (await list.json()) as { bids: { id: string; pricePerHour: string; state: string }[] };
    expect(bids).toHaveLength(1);
    expect(bids[0]).toMatchObject({ pricePerHour: "0.950000", state: "open" });

    const accept = await request.post(`/api/v1/bids/${bids[0]!.id}/accept`, { headers: bearer(tenantKey) });
    expect(accept.status()).toBe(201);
  });

  await test.step("the lease and the allocated GPUs show on the dashboard without a reload", async () => {
    await expect(leaseRow).toHaveCount(1);
    await expect(leaseRow).toContainText(BID_PRICE);
    await expect(leaseRow.getByText("active", { exact: true })).toBeVisible();

    await expect(meter).toHaveAttribute("aria-valuetext", "1 of 4 in use");
    await expect(inventoryRow).toContainText("3 free / 4");
    await expect(inventoryRow.getByText("partly allocated", { exact: true })).toBeVisible();
    await expect(inventoryRow.getByText("in use", { exact: true })).toBeVisible();

    const bidRow = card(page, "Your bids").getByRole("row").filter({ hasText: ORDER_LABEL });
    await expect(bidRow.getByText("active", { exact: true })).toBeVisible();
    await expect(card(page, "Open orders you can serve").getByText(`Region ${REGION}`)).toHaveCount(0);
    await expect(page.getByRole("definition").filter({ hasText: BID_PRICE })).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { e2eMarker?: string }).e2eMarker)).toBe(
      "same page",
    );
    await screenshot(page, "provider-lease");
  });

  await test.step("the provider closes the lease and the inventory is free again", async () => {
    await leaseRow.getByRole("button", { name: `Close lease for ${ORDER_LABEL}` }).click();
    await leaseRow
      .getByRole("group", { name: `Close lease for ${ORDER_LABEL}` })
      .getByRole("button", { name: "Close lease" })
      .click();

    await expect(leaseRow.getByText("closed", { exact: true })).toBeVisible();
    await expect(leaseRow).toContainText("by you");
    await expect(leaseRow.getByRole("button")).toHaveCount(0);
    await expect(meter).toHaveAttribute("aria-valuetext", "0 of 4 in use");
    await expect(inventoryRow).toContainText("4 free / 4");
    await expect(inventoryRow.getByText("free", { exact: true })).toBeVisible();

    const leases = await request.get("/api/v1/leases", { headers: bearer(tenantKey) });
    expect(leases.status()).toBe(200);
    const body = (await leases.json()) as { leases: { orderId: string; state: string }[] };
    expect(body.leases).toContainEqual(expect.objectContaining({ orderId, state: "closed" }));
  });
});

test("the provider creates an API key, sees it once, uses it, and revokes it", async ({ request }) => {
  const page = providerPage;
  const keys = card(page, "Your API keys");
  const ciRow = keys.getByRole("row").filter({ has: page.getByRole("cell", { name: "ci", exact: true }) });

  async function createKey(name: string): Promise<string> {
    await page.getByLabel("Key name").fill(name);
    await page.getByRole("button", { name: "Create key" }).click();
    const created = page.getByRole("status").filter({ hasText: `Created “${name}”.` });
    await expect(created).toContainText("Copy the key now — it is shown only once.");
    const secret = await created.getByLabel("Your new API key").inputValue();
    expect(secret).toMatch(/^bc_/);
    return secret;
  }

  const ciKey = await test.step("creates a key named “ci” and sees it once", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API keys" }).click();
    await page.waitForURL("**/settings/api-keys");
    await expect(page.getByRole("heading", { level: 1, name: "Account & API keys" })).toBeVisible();
    await expect(card(page, "Account")).toContainText(providerLogin.email);

    const secret = await createKey("ci");
    await expect(ciRow).toHaveCount(1);
    await expect(ciRow).toContainText(`${secret.slice(0, 10)}…`);
    await expect(ciRow.getByText("active", { exact: true })).toBeVisible();
    await expect(ciRow.getByRole("cell").filter({ hasText: "Last used" })).toContainText("never");
    await screenshot(page, "api-keys-created");

    await page.reload();
    await expect(ciRow).toHaveCount(1);
    await expect(page.getByLabel("Your new API key")).toHaveCount(0);
    expect(await page.content()).not.toContain(secret);
    return secret;
  });

  await test.step("the key works against the API", async () => {
    const me = await request.get("/api/v1/me", { headers: bearer(ciKey) });
    expect(me.status()).toBe(200);
    const { account } = (await me.json()) as { account: { email: string; roles: string[] } };
    expect(account).toMatchObject({ email: providerLogin.email, roles: ["provider"] });
  });

  agentKey = await test.step("creates a second key for the agent", () => createKey("agent"));

  await test.step("revokes “ci” in the page; the API refuses it, the other key still works", async () => {
    await page.reload();
    await expect(ciRow.getByRole("cell").filter({ hasText: "Last used" })).toContainText(/\d+ (s|min) ago/);
    await ciRow.getByRole("button", { name: "Revoke key ci" }).click();
    await ciRow.getByRole("group", { name: "Revoke key ci" }).getByRole("button", { name: "Revoke" }).click();
    await expect(ciRow.getByText("revoked", { exact: true })).toBeVisible();
    await expect(ciRow.getByRole("button")).toHaveCount(0);

    expect(await meStatus(request, ciKey)).toBe(401);
    expect(await meStatus(request, agentKey)).toBe(200);
  });
});

test("the demo admin suspends the provider's account and reinstates it", async ({ browser, request }) => {
  const adminContext = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const page = await adminContext.newPage();
  const accountRow = page.getByRole("row").filter({ hasText: providerLogin.email });

  try {
    await test.step("the admin signs in and filters accounts by the provider's email", async () => {
      await page.goto("/sign-in");
      await page.getByLabel("Email").fill(adminLogin.email);
      await page.getByLabel("Password").fill(adminLogin.password);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
      await page.waitForURL("**/admin");
      await expect(page.getByRole("heading", { level: 1, name: "Admin" })).toBeVisible();

      const filters = page.getByRole("search", { name: "Filter accounts" });
      await filters.getByLabel("Email contains").fill(providerLogin.email);
      await filters.getByRole("button", { name: "Apply" }).click();
      await page.waitForURL(/[?&]q=/);
      await expect(filters.getByLabel("Email contains")).toHaveValue(providerLogin.email);
      await expect(page.getByRole("row")).toHaveCount(2); // the header and the provider
      await expect(accountRow.getByText("provider", { exact: true })).toBeVisible();
      await expect(accountRow.getByText("active", { exact: true })).toBeVisible();
      await screenshot(page, "admin-accounts");
    });

    await test.step("the admin suspends it (after confirming); its key and session are refused", async () => {
      await accountRow.getByRole("button", { name: `Suspend ${providerLogin.email}` }).click();
      const confirm = accountRow.getByRole("group", { name: `Suspend ${providerLogin.email}` });
      await expect(confirm).toContainText("Closes open orders and bids.");
      await confirm.getByRole("button", { name: "Suspend" }).click();
      await expect(accountRow.getByText("suspended", { exact: true })).toBeVisible();
      await expect(
        accountRow.getByRole("button", { name: `Reinstate ${providerLogin.email}` }),
      ).toBeVisible();
      await screenshot(page, "admin-suspended");

      const refused = await request.get("/api/v1/me", { headers: bearer(agentKey) });
      expect(refused.status()).toBe(403);
      expect((await providerPage.request.get("/api/v1/me")).status()).toBe(403);
      await providerPage.goto("/provider");
      await providerPage.waitForURL(/\/sign-in\?callbackUrl=%2Fprovider/);
    });

    await test.step("the admin reinstates it; the key and the dashboard work again", async () => {
      await accountRow.getByRole("button", { name: `Reinstate ${providerLogin.email}` }).click();
      await accountRow
        .getByRole("group", { name: `Reinstate ${providerLogin.email}` })
        .getByRole("button", { name: "Reinstate" })
        .click();
      await expect(accountRow.getByText("active", { exact: true })).toBeVisible();
      await expect(accountRow.getByRole("button", { name: `Suspend ${providerLogin.email}` })).toBeVisible();

      expect(await meStatus(request, agentKey)).toBe(200);
      await providerPage.goto("/provider");
      await expect(providerPage.getByRole("heading", { level: 1 })).toHaveText(PROVIDER_NAME);
    });

    await test.step("the provider and admin dashboards fit a 390 px phone", async () => {
      for (const [target, path, name] of [
        [providerPage, "/provider", "provider-phone"],
        [page, `/admin?q=${encodeURIComponent(providerLogin.email)}`, "admin-phone"],
      ] as const) {
        await target.setViewportSize({ width: 390, height: 844 });
        await target.goto(path);
        await expect(target.getByRole("heading", { level: 1 })).toBeVisible();
        const overflow = await target.evaluate(
          () => document.documentElement.scrollWidth - window.innerWidth,
        );
        expect(overflow, `${path} fits a 390 px phone`).toBeLessThanOrEqual(0);
        await screenshot(target, name);
      }
    });
  } finally {
    await adminContext.close();
  }
});
