import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { principalForAccount } from "@/lib/accounts/authenticate";
import { createAccount } from "@/lib/accounts/create-account";
import { grantConfiguredAdmins } from "@/lib/accounts/grant-configured-admins";
import { listOwnApiKeys } from "@/lib/accounts/manage-api-keys";

describe("creating accounts", () => {
  it("gives an API sign-up one key, shown once, and a browser sign-up none", async () => {
    const input = (name: string) => ({
      email: `${name}-${randomUUID()}@example.test`,
      password: "correct horse battery",
      roles: ["tenant" as const],
    });
    const viaApi = await createAccount(input("api"), { withApiKey: true });
    const viaBrowser = await createAccount(input("browser"), { withApiKey: false });

    expect(viaApi.apiKey).toMatch(/^bc_/);
    expect(viaBrowser.apiKey).toBeNull();
    const apiKeys = await listOwnApiKeys(await principalForAccount(viaApi.account.id));
    const browserKeys = await listOwnApiKeys(await principalForAccount(viaBrowser.account.id));
    expect(apiKeys.map((key) => key.name)).toEqual(["default"]);
    expect(browserKeys).toEqual([]);
  });

  it("refuses a second account with the same email and names the field", async () => {
    const email = `dup-${randomUUID()}@example.test`;
    await createAccount(
      { email, password: "correct horse battery", roles: ["tenant"] },
      { withApiKey: false },
    );
    await expect(
      createAccount({ email, password: "another long password", roles: ["provider"] }, { withApiKey: false }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      fields: [{ path: "email", message: "is already registered" }],
    });
  });
});

describe("admins named by ADMIN_EMAILS", () => {
  it("are not made by signing up with a listed email; a server start grants the existing account", async () => {
    const { account } = await createAccount(
      { email: "listed@admin.test", password: "correct horse battery", roles: ["tenant"] },
      { withApiKey: false },
    );
    expect(account.roles).not.toContain("admin");
    expect((await principalForAccount(account.id)).roles).not.toContain("admin");

    expect(await grantConfiguredAdmins()).toContain("listed@admin.test");
    expect((await principalForAccount(account.id)).roles).toContain("admin");
  });
});
