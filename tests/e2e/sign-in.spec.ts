import { expect, test } from "@playwright/test";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

/** Signing in: wallet sign-in with an injected EIP-1193 wallet, and the messages people see when it fails. */

test("signs in with Ethereum through the browser's wallet and lands on the tenant dashboard", async ({
  page,
}) => {
  const wallet = privateKeyToAccount(generatePrivateKey());
  await page.exposeFunction("e2eWalletSign", (hexMessage: string) =>
    wallet.signMessage({ message: { raw: hexMessage as `0x${string}` } }),
  );
  await page.addInitScript((address: string) => {
    const sign = (window as unknown as { e2eWalletSign: (hex: string) => Promise<string> }).e2eWalletSign;
    (window as unknown as { ethereum: unknown }).ethereum = {
      request: async ({ method, params }: { method: string; params?: unknown[] }) => {
        if (method === "eth_requestAccounts" || method === "eth_accounts") return [address];
        if (method === "eth_chainId") return "0x2105";
        if (method === "personal_sign") return sign(String(params?.[0]));
        throw Object.assign(new Error(`unsupported ${method}`), { code: 4200 });
      },
    };
  }, wallet.address);

  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Sign in with Ethereum" }).click();
  await page.waitForURL("**/tenant");
  await expect(page.getByRole("heading", { name: "Tenant dashboard" })).toBeVisible();
  await expect(page.getByRole("banner")).toContainText(wallet.address.slice(0, 10));
});

test("explains that wallet sign-in needs a wallet when the browser has none", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Sign in with Ethereum" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "needs an Ethereum wallet" })).toBeVisible();
  await page.screenshot({ path: "artifacts/screenshots/sign-in-no-wallet.png", fullPage: true });
});

test("shows a clear message for a wrong password and keeps the visitor on the sign-in page", async ({
  page,
}) => {
  await page.goto("/sign-in?callbackUrl=%2Ftenant");
  await page.getByLabel("Email").fill("nobody@e2e.bidcloud.test");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "do not match an account" })).toBeVisible();
  expect(new URL(page.url()).pathname).toBe("/sign-in");
});

test("sends a signed-out visitor of a dashboard to sign in and shows errors passed back by next-auth", async ({
  page,
}) => {
  await page.goto("/tenant");
  await page.waitForURL(/\/sign-in\?callbackUrl=%2Ftenant/);
  await page.goto("/sign-in?error=CredentialsSignin");
  await expect(page.getByRole("alert").filter({ hasText: "do not match an account" })).toBeVisible();
});
