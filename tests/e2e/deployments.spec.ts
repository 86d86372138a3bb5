import { expect, test, type APIRequestContext, type Page } from "@playwright/test";

/**
 * Deployments end to end, as a tenant uses them: sign up, open "New deployment", pick the
 * vLLM template, break it (the editor marks the bad line as you type), fix it, turn
 * auto-accept off and post; then two providers (through the REST API with their keys, as
 * their agents do) bid on the deployment's order, the bids appear on the page without a
 * reload, the tenant accepts the cheaper one, and the lease and the timeline show it.
 */

const GiB = 1024 ** 3;
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const tenantLogin = { email: `tenant-dep-${run}@e2e.bidcloud.test`, password: "tenant-password-e2e" };
const DEPLOYMENT_NAME = `llama chat ${run}`;
const H100_FARM = `E2E H100 Farm ${run}`;
const A100_LAB = `E2E A100 Lab ${run}`;

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `artifacts/screenshots/${name}.png`, fullPage: true });
}

/** Signs a provider up through the API, registers it and lists one 8-GPU machine; returns its key's header. */
async function setUpProvider(
  request: APIRequestContext,
  name: string,
  gpu: { model: string; memoryGiB: number },
): Promise<Record<string, string>> {
  const signUp = await request.post("/api/v1/accounts", {
    data: {
      email: `${gpu.model}-${run}@e2e.bidcloud.test`,
      password: "provider-password-e2e",
      roles: ["provider"],
    },
  });
  expect(signUp.status()).toBe(201);
  const { apiKey } = (await signUp.json()) as { apiKey: string };
  const headers = { authorization: `Bearer ${apiKey}` };
  const profile = await request.put("/api/v1/provider", {
    headers,
    data: {
      name,
      hostUri: `https://${gpu.model}-${run}.e2e.example:8443`,
      region: "eu-central",
      attributes: {},
    },
  });
  expect(profile.status()).toBe(200);
  const inventory = await request.post("/api/v1/provider/inventory", {
    headers,
    data: {
      gpu: { vendor: "nvidia", model: gpu.model, memoryGiB: gpu.memoryGiB, interface: "sxm", count: 8 },
      cpuMillicores: 128_000,
      memoryBytes: 1024 * GiB,
      storageBytes: 8192 * GiB,
    },
  });
  expect(inventory.status()).toBe(201);
  return headers;
}

async function expectNoSidewaysScroll(page: Page, path: string): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${path} fits a 390 px phone`).toBeLessThanOrEqual(0);
}

test("a tenant posts a deployment from a template, fixes an SDL error inline, and accepts the cheaper of two live bids", async ({
  page,
  request,
  browser,
}) => {
  const [h100Headers, a100Headers] = await test.step("two providers list H100 and A100 machines", () =>
    Promise.all([
      setUpProvider(request, H100_FARM, { model: "h100", memoryGiB: 80 }),
      setUpProvider(request, A100_LAB, { model: "a100", memoryGiB: 80 }),
    ]));

  await test.step("a tenant signs up and is invited to post a first deployment", async () => {
    await page.goto("/sign-up");
    await page.getByLabel("Email").fill(tenantLogin.email);
    await page.getByLabel("Password").fill(tenantLogin.password);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL("**/tenant");
    await expect(page.getByText("Post your first deployment — start from a template")).toBeVisible();
    await page.getByRole("link", { name: "New deployment" }).first().click();
    await page.waitForURL("**/tenant/deployments/new");
    await expect(page.getByRole("heading", { name: "New deployment" })).toBeVisible();
    await expect(page.getByTestId("template-card").first()).toBeVisible();
    await screenshot(page, "deployment-gallery");
  });

  const editor = page.getByRole("textbox", { name: "SDL (YAML)" });
  const status = page.getByTestId("sdl-status");

  const template = await test.step("the vLLM template fills the editor and checks as valid", async () => {
    await page.getByRole("button", { name: /^Use template .*vLLM/ }).click();
    await expect(editor).toHaveValue(/vllm\/vllm-openai/);
    await expect(status).toContainText(/Valid · 1 placement group · manifest [0-9a-f]{8}…/);
    const preview = page.getByTestId("order-preview");
    await expect(preview).toHaveCount(1);
    await expect(preview).toContainText("1× H100, A100 or L40S");
    await expect(preview).toContainText("$3.00/h");
    return editor.inputValue();
  });

  await test.step("a negative CPU count is marked at its line as it is typed, and picking it moves the caret there", async () => {
    const line = template.split("\n").findIndex((text) => text.includes("units: 8")) + 1;
    expect(line).toBeGreaterThan(1);
    await editor.fill(template.replace("units: 8", "units: -2"));

    const problem = page.getByTestId("sdl-problem");
    await expect(problem).toHaveCount(1);
    await expect(problem).toContainText(`Line ${line} · profiles.compute.vllm.resources.cpu.units`);
    await expect(problem).toContainText("must be greater than 0");
    await expect(page.locator(`[data-testid="gutter-problem"][data-line="${line}"]`)).toBeVisible();
    await expect(status).toContainText("1 problem");
    await expect(page.getByRole("button", { name: "Post deployment" })).toBeDisabled();

    await problem.click();
    const caretLine = await editor.evaluate(
      (element: HTMLTextAreaElement) => element.value.slice(0, element.selectionStart).split("\n").length,
    );
    expect(caretLine).toBe(line);
    await expect(editor).toBeFocused();
    await expect(page.getByText(`Line ${line}:`)).toBeVisible();
    await screenshot(page, "deployment-editor-error");

    await editor.fill(template);
    await expect(status).toContainText("Valid · 1 placement group");
    await expect(problem).toHaveCount(0);
  });

  const deploymentId =
    await test.step("with auto-accept off, the tenant posts and lands on the deployment", async () => {
      // Auto-accept is opt-in: off until the tenant turns it on.
      const autoAccept = page.getByRole("switch", { name: /Auto-accept the cheapest bid/ });
      await expect(autoAccept).not.toBeChecked();
      await page.getByLabel("Deployment name").fill(DEPLOYMENT_NAME);
      await page.getByRole("button", { name: "Post deployment" }).click();

      await page.waitForURL(/\/tenant\/deployments\/[^/]+$/);
      await expect(page.getByRole("heading", { level: 1 })).toContainText(DEPLOYMENT_NAME);
      await expect(page.getByRole("heading", { level: 1 })).toContainText("active");
      await expect(page.getByTestId("auto-accept-status")).toHaveText(
        "Auto-accept is off: you choose the bid.",
      );
      await expect(page.getByText("Providers are pricing your order…")).toBeVisible();
      await expect(page.getByRole("status").filter({ hasText: "Live" })).toBeVisible();
      await expect(page.locator('[data-testid="timeline-step"][data-kind="posted"]')).toHaveAttribute(
        "data-state",
        "done",
      );
      await expect(page.locator('[data-testid="timeline-step"][data-kind="lease"]')).toHaveAttribute(
        "data-state",
        "upcoming",
      );
      return decodeURIComponent(new URL(page.url()).pathname.split("/").pop() ?? "");
    });

  await test.step("two providers bid; the bids appear cheapest first without a reload", async () => {
    // A marker on the window survives only as long as the page is not reloaded.
    await page.evaluate(() => ((window as unknown as { e2eMarker: string }).e2eMarker = "same page"));

    const detail = await page.request.get(`/api/v1/deployments/${deploymentId}`);
    expect(detail.status()).toBe(200);
    const { orders } = (await detail.json()) as { orders: { id: string; groupName: string }[] };
    expect(orders).toHaveLength(1);
    const orderId = orders[0]!.id;

    for (const [headers, price] of [
      [h100Headers, "2.40"],
      [a100Headers, "1.95"],
    ] as const) {
      const bid = await request.post(`/api/v1/orders/${orderId}/bids`, {
        headers,
        data: { pricePerHour: price },
      });
      expect(bid.status()).toBe(201);
    }

    const rows = page.getByTestId("bid-row");
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(0)).toContainText("$1.95/h");
    await expect(rows.nth(0)).toContainText(A100_LAB);
    await expect(rows.nth(0)).toContainText("Lowest price");
    await expect(rows.nth(0)).toContainText(/\d+ min \d{2} s left/);
    await expect(rows.nth(1)).toContainText("$2.40/h");
    await expect(rows.nth(1)).toContainText(H100_FARM);
    await expect(page.locator('[data-testid="timeline-step"][data-kind="bids"]')).toHaveAttribute(
      "data-state",
      "done",
    );
    expect(await page.evaluate(() => (window as unknown as { e2eMarker?: string }).e2eMarker)).toBe(
      "same page",
    );
    await screenshot(page, "deployment-bids");
  });

  await test.step("the tenant accepts the cheaper bid; the lease and the timeline show it", async () => {
    await page.getByRole("button", { name: `Accept bid of $1.95/h from ${A100_LAB}` }).click();
    const lease = page.getByTestId("lease-panel");
    await expect(lease).toBeVisible();
    await expect(lease).toContainText("active");
    await expect(lease).toContainText(A100_LAB);
    await expect(lease).toContainText("$1.95/h");
    await expect(lease).toContainText("waiting for the provider");
    await expect(page.getByTestId("bid-row").filter({ hasText: H100_FARM })).toContainText("lost");
    const leaseStep = page.locator('[data-testid="timeline-step"][data-kind="lease"]');
    await expect(leaseStep).toHaveAttribute("data-state", "done");
    await expect(leaseStep).toContainText(A100_LAB);
  });

  await test.step("the provider fetches the manifest; the page shows it delivered without a reload", async () => {
    const manifest = await request.get(`/api/v1/deployments/${deploymentId}/manifest`, {
      headers: a100Headers,
    });
    expect(manifest.status()).toBe(200);
    await expect(page.getByTestId("lease-panel")).toContainText(/delivered \d+ s ago/);
    await expect(page.locator('[data-testid="timeline-step"][data-kind="manifest"]')).toHaveAttribute(
      "data-state",
      "done",
    );
    expect(await page.evaluate(() => (window as unknown as { e2eMarker?: string }).e2eMarker)).toBe(
      "same page",
    );
    await screenshot(page, "deployment-lease");
  });

  await test.step("the deployments list shows it running at the lease's price", async () => {
    await page.goto("/tenant/deployments");
    const row = page.getByTestId("deployment-row").filter({ hasText: DEPLOYMENT_NAME });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("1 lease");
    await expect(row).toContainText("$1.95/h");
    await screenshot(page, "deployments-list");

    await page.goto("/tenant");
    const dashboardRow = page.getByTestId("deployment-row").filter({ hasText: DEPLOYMENT_NAME });
    await expect(dashboardRow).toContainText("$1.95/h");
    await expect(page.getByRole("link", { name: "New deployment" })).toBeVisible();
    await screenshot(page, "tenant-dashboard-deployments");
  });

  await test.step("the form writes a valid SDL for one service into the editor", async () => {
    await page.goto("/tenant/deployments/new");
    await page.getByRole("button", { name: "Build with a form" }).click();
    await page.getByLabel("Container image").fill("ollama/ollama:0.6.5");
    await page.getByLabel("Exposed port").fill("11434");
    await page.getByRole("checkbox", { name: "A100" }).uncheck();
    await page.getByRole("checkbox", { name: "L40S" }).check();
    await page.getByLabel("Max price ($/hour)").fill("1.25");
    await page.getByLabel("Environment variables").fill("OLLAMA_KEEP_ALIVE=24h");
    await page.getByRole("button", { name: "Write SDL" }).click();

    await expect(editor).toHaveValue(/image: ollama\/ollama:0\.6\.5/);
    await expect(editor).toHaveValue(/- OLLAMA_KEEP_ALIVE=24h/);
    await expect(status).toContainText("Valid · 1 placement group");
    const preview = page.getByTestId("order-preview");
    await expect(preview).toContainText("1× H100 or L40S");
    await expect(preview).toContainText("$1.25/h");
    await screenshot(page, "deployment-form-builder");
  });

  await test.step("when the server refuses the SDL, its problem is marked in the editor and nothing typed is lost", async () => {
    // Hold the live check back, so the SDL reaches the server unchecked.
    await page.route("**/api/v1/sdl/check", () => undefined);
    const valid = await editor.inputValue();
    const broken = valid.replace("units: 8", "units: 0");
    await editor.fill(broken);
    await page.getByRole("button", { name: "Post deployment" }).click();

    const problem = page.getByTestId("sdl-problem");
    await expect(problem).toHaveCount(1);
    await expect(problem).toContainText("profiles.compute.ollama.resources.cpu.units");
    await expect(status).toContainText("Refused · 1 problem");
    await expect(page.getByText("The SDL has a problem; see the marked lines.")).toBeVisible();
    await expect(editor).toHaveValue(broken);
    expect(new URL(page.url()).pathname).toBe("/tenant/deployments/new");
    await page.unroute("**/api/v1/sdl/check");
  });

  await test.step("the pages fit a 390 px phone", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/tenant/deployments/${deploymentId}`);
    await expect(page.getByTestId("lease-panel")).toBeVisible();
    await expectNoSidewaysScroll(page, "the deployment page");
    await screenshot(page, "deployment-phone");

    await page.goto("/tenant/deployments/new");
    await page.getByRole("button", { name: /^Use template .*vLLM/ }).click();
    await expect(status).toContainText("Valid");
    await expectNoSidewaysScroll(page, "the new deployment page");
    await screenshot(page, "deployment-new-phone");

    await page.goto("/tenant/deployments");
    await expectNoSidewaysScroll(page, "the deployments list");
  });

  await test.step("closing the deployment closes its lease", async () => {
    await page.goto(`/tenant/deployments/${deploymentId}`);
    await page.getByRole("button", { name: `Close deployment ${DEPLOYMENT_NAME}` }).click();
    await page.getByRole("button", { name: "Close deployment", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("closed");
    await expect(page.getByText("This deployment was closed")).toBeVisible();
    await expect(page.getByTestId("lease-panel")).toContainText("closed by you");
    await expect(page.locator('[data-testid="timeline-step"][data-kind="closed"]')).toHaveAttribute(
      "data-state",
      "done",
    );
    await screenshot(page, "deployment-closed");
  });

  await test.step("with auto-accept on, the cheapest bid becomes a lease by itself once the window has passed", async () => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto("/tenant/deployments/new");
    await page.getByRole("button", { name: /^Use template .*vLLM/ }).click();
    await expect(status).toContainText("Valid");
    const autoAccept = page.getByRole("switch", { name: /Auto-accept the cheapest bid/ });
    await page.getByText("Auto-accept the cheapest bid").click();
    await expect(autoAccept).toBeChecked();
    await page.getByLabel("Bidding window (seconds)").fill("3");
    await page.getByLabel("Deployment name").fill(`${DEPLOYMENT_NAME} auto`);
    await page.getByRole("button", { name: "Post deployment" }).click();
    await page.waitForURL(/\/tenant\/deployments\/[^/]+$/);
    await expect(page.getByTestId("auto-accept-status")).toHaveText(
      "Auto-accepts the cheapest bid 3 s after opening.",
    );
    const id = decodeURIComponent(new URL(page.url()).pathname.split("/").pop() ?? "");
    await expect(page.getByText("Providers are pricing your order…")).toBeVisible();
    await screenshot(page, "deployment-auto-accept-waiting");
    await page.evaluate(() => ((window as unknown as { e2eMarker: string }).e2eMarker = "same page"));

    const detail = await page.request.get(`/api/v1/deployments/${id}`);
    const { orders } = (await detail.json()) as { orders: { id: string }[] };
    const bid = await request.post(`/api/v1/orders/${orders[0]!.id}/bids`, {
      headers: h100Headers,
      data: { pricePerHour: "2.20" },
    });
    expect(bid.status()).toBe(201);

    const lease = page.getByTestId("lease-panel");
    await expect(lease).toContainText(H100_FARM, { timeout: 15_000 });
    await expect(lease).toContainText("$2.20/h");
    await expect(page.locator('[data-testid="timeline-step"][data-kind="lease"]')).toHaveAttribute(
      "data-state",
      "done",
    );
    expect(await page.evaluate(() => (window as unknown as { e2eMarker?: string }).e2eMarker)).toBe(
      "same page",
    );
    await screenshot(page, "deployment-auto-accepted");
  });

  await test.step("the demo admin sees both deployments on the admin page, the auto-accepted one running", async () => {
    const adminContext = await browser.newContext({ baseURL: test.info().project.use.baseURL });
    const adminPage = await adminContext.newPage();
    try {
      await adminPage.goto("/sign-in");
      await adminPage.getByLabel("Email").fill("admin@demo.bidcloud");
      await adminPage.getByLabel("Password").fill("bidcloud-demo");
      await adminPage.getByRole("button", { name: "Sign in", exact: true }).click();
      await adminPage.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
      await adminPage.goto("/admin?tab=deployments");
      const running = adminPage.getByRole("row").filter({ hasText: `${DEPLOYMENT_NAME} auto` });
      await expect(running).toContainText("1 running");
      await expect(running).toContainText("$2.20/h");
      await expect(
        running.getByRole("button", { name: `Close deployment ${DEPLOYMENT_NAME} auto` }),
      ).toBeVisible();
      const closed = adminPage
        .getByRole("row")
        .filter({ hasText: DEPLOYMENT_NAME })
        .filter({ hasText: "closed" });
      await expect(closed.first()).toBeVisible();
      await screenshot(adminPage, "admin-deployments");
    } finally {
      await adminContext.close();
    }
  });
});
