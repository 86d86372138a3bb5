import { lockAccountIfActive } from "@/lib/accounts/account.repository";
import { requireRole, type Principal } from "@/lib/auth/principal";
import { env } from "@/lib/env";
import { ensureEscrowAccount } from "@/lib/escrow/escrow-accounts";
import { escrowSettings } from "@/lib/escrow/settings";
import { AppError, type FieldError } from "@/lib/errors";
import { marketTransaction } from "@/lib/market/market-transaction";
import { insertOrder, type OrderRecord } from "@/lib/market/market.repository";
import { orderToWire } from "@/lib/market/wire-format";
import { checkSdl, type SdlCheckResult } from "@/lib/sdl";
import { insertDeployment, type DeploymentRecord } from "./deployment.repository";
import type { CreateDeploymentInput } from "./deployment.schemas";
import { deploymentToWire } from "./deployment-wire";
import { sdlOptions } from "./sdl-options";

export interface CreatedDeployment {
  deployment: DeploymentRecord;
  orders: OrderRecord[];
}

/** SDL errors as API field errors: the path inside the SDL under "sdl", with the YAML line. */
export function sdlFieldErrors(result: Extract<SdlCheckResult, { valid: false }>): FieldError[] {
  return result.errors.map((error) => ({
    // lib/sdl names the whole document "sdl" (too big, not YAML, empty).
    path: error.path && error.path !== "sdl" ? `sdl.${error.path}` : "sdl",
    message: error.message,
    line: error.line,
  }));
}

/**
 * Posts a deployment: the SDL is checked and turned into a manifest (hash fixed) and one
 * order per placement group, all in one transaction, or nothing is stored.
 */
export async function createDeployment(
  principal: Principal,
  input: CreateDeploymentInput,
  now = new Date(),
): Promise<CreatedDeployment> {
  requireRole(principal, "tenant");
  const checked = await checkSdl(input.sdl, sdlOptions());
  if (!checked.valid) {
    const first = checked.errors[0];
    const where = first ? ` at ${first.path || "the document"} (line ${first.line})` : "";
    throw new AppError("VALIDATION", `the SDL is not valid${where}: ${first?.message ?? ""}`.trim(), {
      fields: sdlFieldErrors(checked),
    });
  }
  const groupNames = new Set(checked.groups.map((group) => group.name));
  const unknown = Object.keys(input.maxPricePerHour).filter((name) => !groupNames.has(name));
  if (unknown.length > 0) {
    throw new AppError(
      "VALIDATION",
      `maxPricePerHour names no placement group of this SDL: ${unknown.join(", ")}`,
      {
        fields: unknown.map((name) => ({
          path: `maxPricePerHour.${name}`,
          message: `is not a placement group of the SDL (groups: ${[...groupNames].join(", ")})`,
        })),
      },
    );
  }
  const autoAcceptSeconds = input.autoAccept ? (input.autoAcceptSeconds ?? env().AUTO_ACCEPT_SECONDS) : null;
  const expiresAt = new Date(now.getTime() + (input.expiresInSeconds ?? env().ORDER_TTL_SECONDS) * 1000);
  const name = input.name ?? defaultName(checked.services.map((service) => service.name));

  return marketTransaction(async (tx, emit) => {
    if (!(await lockAccountIfActive(tx, principal.accountId))) {
      throw new AppError("FORBIDDEN", "this account is suspended");
    }
    const deployment = await insertDeployment(tx, {
      tenantId: principal.accountId,
      name,
      sdl: input.sdl,
      manifest: checked.manifestJson,
      manifestVersion: checked.manifestVersion,
      autoAcceptSeconds,
    });
    // The escrow account opens on chain with the deployment, ready for deposits.
    const settings = escrowSettings();
    if (settings) await ensureEscrowAccount(tx, settings, deployment);
    const orders: OrderRecord[] = [];
    for (const group of checked.groups) {
      const order = await insertOrder(tx, {
        tenantId: principal.accountId,
        ...group.requirement,
        maxPricePerHour: Object.hasOwn(input.maxPricePerHour, group.name)
          ? input.maxPricePerHour[group.name]!
          : group.maxPricePerHour,
        expiresAt,
        deploymentId: deployment.id,
        groupName: group.name,
      });
      orders.push(order);
    }
    await emit({
      type: "deployment.created",
      entityId: deployment.id,
      audience: [principal.accountId],
      payload: deploymentToWire(deployment),
    });
    for (const order of orders) {
      await emit({
        type: "order.created",
        entityId: order.id,
        audience: [order.tenantId],
        forProviders: true,
        payload: orderToWire(order),
      });
    }
    return { deployment, orders };
  });
}

function defaultName(serviceNames: string[]): string {
  const joined = serviceNames.join(", ");
  return joined.length <= 80 ? joined : `${joined.slice(0, 77)}...`;
}
