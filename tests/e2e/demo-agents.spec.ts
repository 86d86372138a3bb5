import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { prepareDemoAgents, startDemoAgents } from "../../scripts/support/demo-agents";

/**
 * The demo story with the real demo provider agents `npm start` runs: the demo tenant posts an
 * SDL in the browser, funds its escrow, sees a bid from Lovelace's agent arrive by itself,
 * accepts it, opens the service's URI, watches the lease go "Running — verified", sees the
 * verifier notice when the workload turns unhealthy (and that time is not paid), and sees the
 * escrow settle verified time only.
 *
 * The three demo agents are started here with the same code `npm start` uses, and stopped
 * after this spec, so they do not bid on the other specs' orders.
 */
const root = path.resolve(import.meta.dirname, "../..");
const agentsDir = mkdtempSync(path.join(tmpdir(), "bidcloud-e2e-agents-"));
let stopAgents = async () => {};

test.beforeAll(async ({ baseURL }) => {
  const databaseUrl = process.env.E2E_DATABASE_URL;
  if (!databaseUrl || !baseURL) throw new Error("run through npm run test:e2e (E2E_DATABASE_URL is unset)");
  const agents = await prepareDemoAgents({ databaseUrl, apiUrl: `${baseURL}/api/v1`, agentsDir });
  expect(agents.map((agent) => agent.slug)).toEqual(["hopper", "ampere", "lovelace"]);
  stopAgents = startDemoAgents(agents, root, { ...process.env }).stop;
});

test.afterAll(async () => {
  await stopAgents();
  rmSync(agentsDir, { recursive: true, force: true });
});

const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const DEPLOYMENT_NAME = `demo story ${run}`;
const LOVELACE = "Lovelace Labs";

/** One web service on an L40S: only Lovelace's demo agent prices that GPU. */
const SDL = `version: "2.0"
services:
  web:
    image: nginx:1.27
    env:
      - GREETING=hello
    expose:
      - port: 80
        as: 80
        to:
          - global: true
profiles:
  compute:
    web:
      resources:
        cpu:
          units: 2
        memory:
          size: 8Gi
        storage:
          size: 20Gi
        gpu:
          units: 1
          attributes:
            vendor:
              nvidia:
                - model: l40s
  placement:
    dc:
      pricing:
        web:
          denom: uact
          amount: 2000
deployment:
  web:
    dc:
      profile: web
      count: 1
`;

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `artifacts/screenshots/${name}.png`, fullPage: true });
}

function card(page: Page, title: string | RegExp) {
  return page
    .locator("section")
    .filter({ has: page.getByRole("heading", { level: 2, name: title, exact: typeof title === "string" }) });
}

test("the demo tenant posts an SDL, a demo agent bids and runs it, and only verified time is paid", async ({
  page,
  context,
  request,
}) => {
  test.setTimeout(240_000);

  await test.step("the demo tenant signs in and posts an SDL", async () => {
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill("tenant@demo.bidcloud");
    await page.getByLabel("Password").fill("bidcloud-demo");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
    await page.goto("/tenant/deployments/new");
    await page.getByRole("textbox", { name: "SDL (YAML)" }).fill(SDL);
    await expect(page.getByTestId("sdl-status")).toContainText("Valid");
    const autoAccept = page.getByRole("switch", { name: /Auto-accept the cheapest bid/ });
    if ((await autoAccept.getAttribute("aria-checked")) === "true") await autoAccept.click();
    await page.getByLabel("Deployment name").fill(DEPLOYMENT_NAME);
    await page.getByRole("button", { name: "Post deployment" }).click();
    await page.waitForURL(/\/tenant\/deployments\/[^/]+$/);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(DEPLOYMENT_NAME);
  });

  await test.step("Lovelace's agent bids by itself while the tenant funds the escrow", async () => {
    const escrow = card(page, /^Escrow/);
    await escrow.getByLabel("Amount (USDC)").fill("20");
    await escrow.getByRole("button", { name: "Deposit", exact: true }).click();
    await expect(escrow.getByRole("status").filter({ hasText: "Deposit of 20.00 USDC sent." })).toBeVisible();
    await expect(
      page.getByRole("button", { name: new RegExp(`^Accept bid of .* from ${LOVELACE}$`) }),
    ).toBeVisible({
      timeout: 10_000,
    });
    await expect(escrow.getByTestId("escrow-balance")).toHaveText(/^20\.00\s*USDC$/, { timeout: 30_000 });
    await screenshot(page, "demo-agent-bid");
  });

  let leaseId = "";
  await test.step("the tenant accepts; the lease page shows it running and verified", async () => {
    await page.getByRole("button", { name: new RegExp(`^Accept bid of .* from ${LOVELACE}$`) }).click();
    await page
      .getByRole("link", { name: /View lease/ })
      .first()
      .click();
    await page.waitForURL(/\/tenant\/leases\/[^/]+$/);
    leaseId = decodeURIComponent(new URL(page.url()).pathname.split("/").pop() ?? "");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Running — verified", {
      timeout: 60_000,
    });
    await expect(page.getByText(/Verified .* of .*— only verified time is paid/)).toBeVisible();
    await screenshot(page, "demo-lease-running");
  });

  let serviceUri = "";
  await test.step("the service's URI opens the workload", async () => {
    const link = page.getByRole("list", { name: "Services" }).getByRole("link").first();
    serviceUri = (await link.getAttribute("href")) ?? "";
    expect(serviceUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
    const service = await context.newPage();
    await service.goto(serviceUri);
    await expect(service.getByRole("heading", { level: 1 })).toHaveText("web");
    await expect(service.getByText("GREETING")).toBeVisible();
    await service.close();
    // The workload's log lines reach the lease page live.
    await expect(page.getByText(/GET \/ 200/).first()).toBeVisible({ timeout: 20_000 });
  });

  await test.step("an unhealthy workload is noticed by the verifier, and that time is not paid", async () => {
    expect((await request.post(`${serviceUri}/__bidcloud/unhealthy`)).ok()).toBe(true);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Not verified", { timeout: 45_000 });
    await screenshot(page, "demo-lease-unhealthy");
    expect((await request.post(`${serviceUri}/__bidcloud/healthy`)).ok()).toBe(true);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Running — verified", {
      timeout: 45_000,
    });
    const verification = await page.request.get(`/api/v1/leases/${leaseId}/verification`);
    const view = (await verification.json()).verification;
    expect(view.uptime.some((stretch: { verified: boolean }) => !stretch.verified)).toBe(true);
    expect(view.verifiedSeconds).toBeLessThan(view.elapsedSeconds);
    await screenshot(page, "demo-lease-recovered");
  });

  await test.step("the escrow settles verified time only", async () => {
    await expect
      .poll(
        async () => {
          const lease = (await (await page.request.get(`/api/v1/leases/${leaseId}`)).json()).lease;
          return lease.escrow?.settledSeconds ?? 0;
        },
        { timeout: 60_000, intervals: [2_000] },
      )
      .toBeGreaterThan(0);
    const lease = (await (await page.request.get(`/api/v1/leases/${leaseId}`)).json()).lease;
    const view = (await (await page.request.get(`/api/v1/leases/${leaseId}/verification`)).json())
      .verification;
    expect(lease.escrow.settledSeconds).toBeLessThanOrEqual(view.verifiedSeconds);
    expect(Number(lease.escrow.paid)).toBeGreaterThan(0);
  });

  await test.step("closing the lease stops the workload", async () => {
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Close lease", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText(/closed/i, { timeout: 20_000 });
    await expect
      .poll(
        async () =>
          fetch(serviceUri).then(
            () => "up",
            () => "down",
          ),
        { timeout: 20_000 },
      )
      .toBe("down");
  });
});
