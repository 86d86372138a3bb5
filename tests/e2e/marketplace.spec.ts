import { expect, test, type APIRequestContext, type Page } from "@playwright/test";

/**
 * The marketplace end to end, as people use it: a provider lists a GPU (through the REST API
 * with its API key, as the provider agent does), a tenant signs up and posts an order in the
 * browser, the provider bids, the bid appears on the tenant's order page without a reload,
 * the tenant accepts, and both sides see the lease.
 */

const GiB = 1024 ** 3;
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const REGION = `e2e-${run}`;
const PROVIDER_NAME = `E2E GPU Works ${run}`;
const providerLogin = { email: `provider-${run}@e2e.bidcloud.test`, password: "provider-password-e2e" };
const tenantLogin = { email: `tenant-${run}@e2e.bidcloud.test`, password: "tenant-password-e2e" };

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `artifacts/screenshots/${name}.png`, fullPage: true });
}

async function setUpProvider(request: APIRequestContext): Promise<Record<string, string>> {
  const signUp = await request.post("/api/v1/accounts", {
    data: { email: providerLogin.email, password: providerLogin.password, roles: ["provider"] },
  });
  expect(signUp.status()).toBe(201);
  const { apiKey } = (await signUp.json()) as { apiKey: string };
  const headers = { authorization: `Bearer ${apiKey}` };

  const profile = await request.put("/api/v1/provider", {
    headers,
    data: {
      name: PROVIDER_NAME,
      hostUri: "https://gpu.e2e-works.example:8443",
      region: REGION,
      attributes: {},
    },
  });
  expect(profile.status()).toBe(200);

  const inventory = await request.post("/api/v1/provider/inventory", {
    headers,
    data: {
      gpu: { vendor: "nvidia", model: "h100", memoryGiB: 80, interface: "sxm", count: 8 },
      cpuMillicores: 64_000,
      memoryBytes: 512 * GiB,
      storageBytes: 4096 * GiB,
    },
  });
  expect(inventory.status()).toBe(201);
  return headers;
}

test("a tenant posts an order, watches a bid arrive live, accepts it, and both sides see the lease", async ({
  page,
  request,
  browser,
}) => {
  await test.step("anyone can browse the public market", async () => {
    await page.goto("/market");
    await expect(page.getByRole("heading", { name: "GPU market" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "GPUs by model" })).toBeVisible();
    await screenshot(page, "market");
  });

  const providerHeaders = await test.step("a provider signs up, registers and lists an H100 machine", () =>
    setUpProvider(request));

  await test.step("a tenant signs up in the browser", async () => {
    await page.goto("/sign-up");
    await page.getByLabel("Email").fill(tenantLogin.email);
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByText("must be at least 10 characters")).toBeVisible();
    await screenshot(page, "sign-up-error");

    await page.getByLabel("Password").fill(tenantLogin.password);
    await expect(page.getByRole("checkbox", { name: /Rent GPUs/ })).toBeChecked();
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL("**/tenant");
    await expect(page.getByRole("heading", { name: "Tenant dashboard" })).toBeVisible();
    await expect(page.getByText("You have not posted an order yet")).toBeVisible();
    await screenshot(page, "tenant-dashboard-empty");
  });

  const orderId = await test.step("the tenant posts an order with the form", async () => {
    await page.getByRole("link", { name: "Post an order" }).first().click();
    await page.waitForURL("**/tenant/orders/new");
    await page.getByLabel("GPUs per replica").fill("1");
    await page.getByLabel("GPU model").selectOption("h100");
    await page.getByLabel("Region").fill(REGION);
    await page.getByLabel("Max price per hour (USD)").fill("3.1234567");
    await page.getByRole("button", { name: "Post order" }).click();
    await expect(page.getByText("must have at most 6 decimal places")).toBeVisible();
    await expect(page.getByText("Please check: Max price per hour.")).toBeVisible();
    await screenshot(page, "order-form-error");

    await page.getByLabel("Max price per hour (USD)").fill("3.50");
    await page.getByRole("button", { name: "Post order" }).click();
    await page.waitForURL(/\/tenant\/orders\/[^/]+$/);
    await expect(page.getByText("Waiting for bids…")).toBeVisible();
    await expect(page.getByRole("status").filter({ hasText: "Live" })).toBeVisible();
    await screenshot(page, "order-waiting-for-bids");
    return decodeURIComponent(new URL(page.url()).pathname.split("/").pop() ?? "");
  });

  await test.step("the provider sees the order and bids; the bid appears without a reload", async () => {
    // A marker on the window survives only as long as the page is not reloaded.
    await page.evaluate(() => ((window as unknown as { e2eMarker: string }).e2eMarker = "same page"));

    const open = await request.get("/api/v1/orders?state=open", { headers: providerHeaders });
    expect(open.status()).toBe(200);
    const { orders } = (await open.json()) as { orders: { id: string }[] };
    expect(orders.map((order) => order.id)).toContain(orderId);

    const bid = await request.post(`/api/v1/orders/${orderId}/bids`, {
      headers: providerHeaders,
      data: { pricePerHour: "2.75" },
    });
    expect(bid.status()).toBe(201);

    const row = page.getByTestId("bid-row");
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("$2.75/h");
    await expect(row).toContainText(PROVIDER_NAME);
    await expect(row).toContainText(REGION);
    await expect(row).toContainText(/\d+ min \d{2} s left/);
    expect(await page.evaluate(() => (window as unknown as { e2eMarker?: string }).e2eMarker)).toBe(
      "same page",
    );
    await screenshot(page, "order-live-bid");
  });

  await test.step("the tenant accepts the bid and sees the lease", async () => {
    await page.getByRole("button", { name: `Accept bid of $2.75/h from ${PROVIDER_NAME}` }).click();
    const lease = page.getByTestId("lease-panel");
    await expect(lease).toBeVisible();
    await expect(lease).toContainText("active");
    await expect(lease).toContainText(PROVIDER_NAME);
    await expect(lease).toContainText("$2.75/h");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("active");
    await screenshot(page, "order-accepted");
  });

  await test.step("the tenant dashboard lists the running lease", async () => {
    await page.goto("/tenant");
    const leaseRow = page.getByTestId("lease-row").filter({ hasText: PROVIDER_NAME });
    await expect(leaseRow).toHaveCount(1);
    await expect(leaseRow).toContainText("$2.75/h");
    await expect(leaseRow).toContainText("active");
    await expect(page.getByRole("button", { name: "Close" })).toBeVisible();
    await screenshot(page, "tenant-dashboard");

    await page.setViewportSize({ width: 390, height: 844 });
    for (const [path, name] of [
      ["/tenant", "tenant-dashboard-phone"],
      [`/tenant/orders/${orderId}`, "order-accepted-phone"],
      ["/market", "market-phone"],
    ] as const) {
      await page.goto(path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${path} fits a 390 px phone`).toBeLessThanOrEqual(0);
      await screenshot(page, name);
    }
  });

  await test.step("the provider sees the lease through the API and on its dashboard", async () => {
    const leases = await request.get("/api/v1/leases", { headers: providerHeaders });
    expect(leases.status()).toBe(200);
    const body = (await leases.json()) as {
      leases: { orderId: string; state: string; pricePerHour: string }[];
    };
    expect(body.leases).toContainEqual(
      expect.objectContaining({ orderId, state: "active", pricePerHour: "2.750000" }),
    );

    const context = await browser.newContext();
    const providerPage = await context.newPage();
    await providerPage.goto("/sign-in");
    await screenshot(providerPage, "sign-in");
    await providerPage.getByLabel("Email").fill(providerLogin.email);
    await providerPage.getByLabel("Password").fill(providerLogin.password);
    await providerPage.getByRole("button", { name: "Sign in", exact: true }).click();
    await providerPage.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
    const response = await providerPage.goto("/provider");
    expect(response?.status()).toBe(200);
    await expect(providerPage.getByText("$2.75/h").first()).toBeVisible();
    await screenshot(providerPage, "provider-dashboard");
    await context.close();
  });
});
