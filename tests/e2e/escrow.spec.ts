import { expect, test, type Browser, type Locator, type Page } from "@playwright/test";

/**
 * The USDC escrow as people use it: the demo tenant gets test USDC from the faucet and sees
 * it arrive in the wallet, posts a deployment, is told to fund it before accepting a bid, is
 * stopped by a bad amount under the field, deposits 50 and sees the escrow's balance become
 * 50.00; a provider bids, the tenant accepts, and the lease shows its escrow and the runway
 * its price leaves. The provider's earnings page and the admin's Escrow tab (reconciliation
 * clean) follow, and every page fits a phone.
 *
 * The e2e app runs its own local chain (anvil with the escrow deployed and the faucet on); the
 * launcher may have funded the demo tenant's wallet already, so amounts are checked against
 * what the wallet held when the test began.
 */

test.describe.configure({ mode: "serial" });

const GiB = 1024 ** 3;
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const DEMO_PASSWORD = "bidcloud-demo";
const tenantEmail = "tenant@demo.bidcloud";
const adminEmail = "admin@demo.bidcloud";
const providerLogin = {
  email: `provider-escrow-${run}@e2e.bidcloud.test`,
  password: "provider-password-e2e",
};
const PROVIDER_NAME = `E2E Escrow H100 ${run}`;
const DEPLOYMENT_NAME = `escrow chat ${run}`;
/** Chain writes confirm a block or two after they are queued; the pages poll meanwhile. */
const CHAIN_TIMEOUT_MS = 30_000;

async function screenshot(target: Page | Locator, name: string): Promise<void> {
  const path = `artifacts/screenshots/${name}.png`;
  if ("goto" in target) await target.screenshot({ path, fullPage: true });
  else await target.screenshot({ path });
}

/** A dashboard card (a section) by its heading. */
function card(page: Page, title: string | RegExp): Locator {
  return page
    .locator("section")
    .filter({ has: page.getByRole("heading", { level: 2, name: title, exact: typeof title === "string" }) });
}

async function signIn(
  browser: Browser,
  baseURL: string | undefined,
  email: string,
  password: string,
): Promise<Page> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
  return page;
}

/** Whole tokens as the wallet card shows them: 11000n -> "11,000.00". */
function usdc(whole: bigint): string {
  return `${whole.toLocaleString("en-US")}.00`;
}

async function expectNoSidewaysScroll(page: Page, what: string): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${what} fits a 390 px phone`).toBeLessThanOrEqual(0);
}

let tenant: Page;
let deploymentId = "";
/** Whole USDC in the demo tenant's wallet once the faucet has paid out. */
let walletTokens = 0n;

test.beforeAll(async ({ browser }, workerInfo) => {
  tenant = await signIn(browser, workerInfo.project.use.baseURL, tenantEmail, DEMO_PASSWORD);
});

test.afterAll(async () => {
  await tenant?.context().close();
});

test("the demo tenant gets test USDC from the faucet and sees it arrive in the wallet", async () => {
  const wallet = card(tenant, "Wallet");
  const balance = wallet.getByTestId("wallet-balance");

  const before = await test.step("the wallet card shows the balance and the deposit address", async () => {
    await tenant.goto("/tenant");
    await expect(wallet.getByTestId("wallet-address")).toHaveText(/^0x[0-9a-f]{40}$/);
    await expect(wallet.getByRole("button", { name: "Copy deposit address" })).toBeVisible();
    const shown = (await balance.textContent()) ?? "";
    const whole = /^([\d,]+)\.00\s*USDC$/.exec(shown)?.[1];
    expect(whole, `a whole USDC balance, not "${shown}"`).toBeDefined();
    return BigInt(whole!.replaceAll(",", ""));
  });

  await test.step("“Get test USDC” stays busy until 1,000 more USDC and gas have arrived", async () => {
    await wallet.getByRole("button", { name: "Get test USDC" }).click();
    walletTokens = before + 1000n;
    await expect(balance).toHaveText(new RegExp(`^${usdc(walletTokens)}\\s*USDC$`), {
      timeout: CHAIN_TIMEOUT_MS,
    });
    await expect(wallet.getByRole("button", { name: "Get test USDC" })).toBeEnabled();
    await expect(wallet).not.toContainText("Your wallet is empty");
    await expect(wallet).toContainText("Native coin; pays transaction fees");
    await screenshot(wallet, "escrow-wallet-card");
  });
});

test("the tenant funds a new deployment's escrow; a bad amount is refused under the field", async () => {
  const escrow = card(tenant, /^Escrow/);
  const amount = escrow.getByLabel("Amount (USDC)");

  await test.step("posts a deployment from the vLLM template", async () => {
    await tenant.goto("/tenant/deployments/new");
    await tenant.getByRole("button", { name: /^Use template .*vLLM/ }).click();
    await expect(tenant.getByTestId("sdl-status")).toContainText("Valid");
    await tenant.getByLabel("Deployment name").fill(DEPLOYMENT_NAME);
    await tenant.getByRole("button", { name: "Post deployment" }).click();
    await tenant.waitForURL(/\/tenant\/deployments\/[^/]+$/);
    await expect(tenant.getByRole("heading", { level: 1 })).toContainText(DEPLOYMENT_NAME);
    deploymentId = decodeURIComponent(new URL(tenant.url()).pathname.split("/").pop() ?? "");
  });

  await test.step("before any deposit, the escrow says to fund it before accepting a bid", async () => {
    await expect(escrow.getByTestId("escrow-balance")).toHaveText(/^0\.00\s*USDC$/);
    await expect(escrow.getByTestId("escrow-runway")).toHaveText(
      "Deposit funds before accepting a bid: a lease with an empty escrow closes at its first settlement.",
    );
    await expect(escrow).toContainText(`From your wallet: ${usdc(walletTokens)} USDC available.`);
  });

  await test.step("an amount with seven decimals is refused under the amount field and moves nothing", async () => {
    await amount.fill("1.1234567");
    await escrow.getByRole("button", { name: "Deposit", exact: true }).click();
    await expect(escrow.locator("#amount-error")).toHaveText("Must have at most 6 decimal places");
    await expect(amount).toHaveAttribute("aria-invalid", "true");
    await expect(amount).toHaveValue("1.1234567");
    await expect(escrow.getByTestId("escrow-balance")).toHaveText(/^0\.00\s*USDC$/);
    await screenshot(escrow, "escrow-bad-amount");
  });

  await test.step("more than the wallet holds is refused under the field too", async () => {
    await amount.fill(String(walletTokens + 1n));
    await escrow.getByRole("button", { name: "Deposit", exact: true }).click();
    await expect(escrow.locator("#amount-error")).toHaveText(
      `Exceeds your wallet's available ${usdc(walletTokens)} USDC`,
    );
  });

  await test.step("a deposit of 50 confirms on chain and the balance becomes 50.00", async () => {
    await amount.fill("50");
    await escrow.getByRole("button", { name: "Deposit", exact: true }).click();
    await expect(escrow.getByRole("status").filter({ hasText: "Deposit of 50.00 USDC sent." })).toBeVisible();
    await expect(escrow.getByTestId("escrow-balance")).toHaveText(/^50\.00\s*USDC$/, {
      timeout: CHAIN_TIMEOUT_MS,
    });
    const deposit = escrow.getByRole("row").filter({ hasText: "Deposit" });
    await expect(deposit).toContainText("50.00 USDC");
    await expect(deposit).toContainText("confirmed");
    await expect(deposit).toContainText(/0x[0-9a-f]{4}…[0-9a-f]{4}/);
    await expect(escrow.getByRole("button", { name: "Top up", exact: true })).toBeVisible();
    await expect(escrow.getByTestId("escrow-runway")).toContainText("No lease draws from this escrow yet.");
    await expect(escrow).toContainText(`From your wallet: ${usdc(walletTokens - 50n)} USDC available.`);
    await screenshot(escrow, "escrow-panel");
  });

  await test.step("the wallet on the dashboard shows what is left", async () => {
    await tenant.goto("/tenant");
    await expect(card(tenant, "Wallet").getByTestId("wallet-balance")).toHaveText(
      new RegExp(`^${usdc(walletTokens - 50n)}\\s*USDC$`),
    );
  });
});

test("a provider's bid becomes a lease paid from the escrow; the provider sees its earnings", async ({
  browser,
  baseURL,
  request,
}) => {
  const headers =
    await test.step("a provider signs up and lists an 8× H100 machine through the API", async () => {
      const signUp = await request.post("/api/v1/accounts", {
        data: { ...providerLogin, roles: ["provider"] },
      });
      expect(signUp.status()).toBe(201);
      const auth = { authorization: `Bearer ${((await signUp.json()) as { apiKey: string }).apiKey}` };
      const profile = await request.put("/api/v1/provider", {
        headers: auth,
        data: {
          name: PROVIDER_NAME,
          hostUri: `https://h100-${run}.e2e.example:8443`,
          region: "eu-central",
          attributes: {},
        },
      });
      expect(profile.status()).toBe(200);
      const inventory = await request.post("/api/v1/provider/inventory", {
        headers: auth,
        data: {
          gpu: { vendor: "nvidia", model: "h100", memoryGiB: 80, interface: "sxm", count: 8 },
          cpuMillicores: 128_000,
          memoryBytes: 1024 * GiB,
          storageBytes: 8192 * GiB,
        },
      });
      expect(inventory.status()).toBe(201);
      return auth;
    });

  const provider =
    await test.step("before any lease, the provider's Earnings page says what comes next", async () => {
      const page = await signIn(browser, baseURL, providerLogin.email, providerLogin.password);
      await page.goto("/provider");
      await page.getByRole("link", { name: "Earnings ›" }).click();
      await page.waitForURL("**/provider/earnings");
      await expect(page.getByRole("heading", { level: 1, name: "Earnings" })).toBeVisible();
      await expect(page.getByTestId("earnings-withdrawable")).toHaveText(/^0\.00\s*USDC$/);
      await expect(page.getByText("Earnings appear here after your first lease is settled")).toBeVisible();
      await expect(page.getByRole("link", { name: "Find orders to bid on" })).toBeVisible();
      await expect(card(page, "Withdraw").getByRole("button", { name: "Withdraw" })).toBeDisabled();
      await expect(card(page, "Withdraw")).toContainText("Nothing settled to withdraw yet.");
      await screenshot(page, "escrow-provider-earnings-empty");
      return page;
    });

  await test.step("the provider bids $1.95/h and the tenant accepts; the lease opens on chain", async () => {
    const detail = await tenant.request.get(`/api/v1/deployments/${deploymentId}`);
    expect(detail.status()).toBe(200);
    const { orders } = (await detail.json()) as { orders: { id: string }[] };
    const bid = await request.post(`/api/v1/orders/${orders[0]!.id}/bids`, {
      headers,
      data: { pricePerHour: "1.95" },
    });
    expect(bid.status()).toBe(201);

    await tenant.goto(`/tenant/deployments/${deploymentId}`);
    await tenant.getByRole("button", { name: `Accept bid of $1.95/h from ${PROVIDER_NAME}` }).click();
    const lease = tenant.getByTestId("lease-panel");
    await expect(lease).toContainText(PROVIDER_NAME);
    // The badge says "opening" until the contract has opened the lease.
    await expect(lease.getByTestId("lease-escrow").getByText("open", { exact: true })).toBeVisible({
      timeout: CHAIN_TIMEOUT_MS,
    });
    const escrow = card(tenant, /^Escrow/);
    // 50 USDC at $1.95/h lasts a little over a day.
    await expect(escrow.getByTestId("escrow-runway")).toContainText(
      /Funds last 1 d( \d+ h)? at the current rate \(\$1\.95\/h\)\./,
    );
    await expect(escrow.getByRole("row").filter({ hasText: "Open lease" })).toContainText("confirmed");
    await screenshot(tenant, "escrow-deployment-lease");
  });

  await test.step("the provider's earnings page shows what the running lease has accrued", async () => {
    await provider.reload();
    // A settlement may already have paid part of it; either way the page no longer says to go bid.
    await expect(
      provider.getByText(/^(Your lease is running: the next settlement pays.*|No payouts yet)$/),
    ).toBeVisible();
    await expect(provider.getByRole("link", { name: "Find orders to bid on" })).toHaveCount(0);
    await screenshot(provider, "escrow-provider-earnings");
    await provider.context().close();
  });
});

test("the admin's Escrow tab lists the account and the outbox, and reconciliation finds no difference", async ({
  browser,
  baseURL,
}) => {
  const admin = await signIn(browser, baseURL, adminEmail, DEMO_PASSWORD);
  try {
    await admin.goto("/admin");
    await admin.getByRole("link", { name: "Escrow", exact: true }).click();
    await admin.waitForURL("**/admin?tab=escrow");

    const account = card(admin, "Escrow accounts").getByRole("row").filter({ hasText: DEPLOYMENT_NAME });
    await expect(account).toContainText(tenantEmail);
    await expect(account).toContainText("open");
    // Settlement may already have paid a little of the 50.
    await expect(account).toContainText(/(50\.00|49\.\d+) USDC/);

    const outbox = card(admin, "Outbox");
    await expect(
      outbox.getByRole("navigation", { name: "Filter chain transactions by status" }),
    ).toContainText(/Confirmed \d+/);
    await outbox.getByRole("link", { name: /^All \d+/ }).click();
    await admin.waitForURL("**/admin?tab=escrow&state=all");
    const deposit = card(admin, "Outbox").getByRole("row").filter({ hasText: "Deposit" }).first();
    await expect(deposit).toContainText("confirmed");

    const reconciliation = card(admin, "Reconciliation");
    const result = reconciliation.getByTestId("reconciliation-result");
    // A settlement may be on its way while the check reads the chain: run again until both sides rest.
    await expect(async () => {
      await reconciliation.getByRole("button", { name: /^(Run reconciliation|Run again)$/ }).click();
      await expect(result).toContainText(
        /Database and chain agree \(\d+ accounts?, \d+ leases?, \d+ payees?; indexed to block \d+ of \d+\)/,
        { timeout: 5_000 },
      );
    }).toPass({ timeout: CHAIN_TIMEOUT_MS });
    await screenshot(admin, "escrow-admin-tab");

    await test.step("the Escrow tab fits a phone", async () => {
      await admin.setViewportSize({ width: 390, height: 844 });
      await admin.goto("/admin?tab=escrow");
      await expect(card(admin, "Outbox")).toBeVisible();
      await expectNoSidewaysScroll(admin, "the admin Escrow tab");
      await screenshot(admin, "escrow-admin-phone");
    });
  } finally {
    await admin.context().close();
  }
});

test("the tenant's wallet and the deployment's escrow fit a 390 px phone", async () => {
  await tenant.setViewportSize({ width: 390, height: 844 });
  await tenant.goto("/tenant");
  await expect(card(tenant, "Wallet").getByTestId("wallet-balance")).toBeVisible();
  await expectNoSidewaysScroll(tenant, "the tenant dashboard");
  await screenshot(tenant, "escrow-tenant-phone");

  await tenant.goto(`/tenant/deployments/${deploymentId}`);
  await expect(card(tenant, /^Escrow/).getByTestId("escrow-balance")).toBeVisible();
  await expectNoSidewaysScroll(tenant, "the deployment page");
  await screenshot(tenant, "escrow-deployment-phone");
});
