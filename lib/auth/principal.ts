import { AppError } from "@/lib/errors";

export const ROLES = ["tenant", "provider", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: resolved from an API key or a session, always from the database. */
export interface Principal {
  accountId: string;
  email: string | null;
  ethAddress: string | null;
  roles: Role[];
}

export function hasRole(principal: Principal, role: Role): boolean {
  return principal.roles.includes(role);
}

export function requireRole(principal: Principal, role: Role): void {
  if (!hasRole(principal, role)) {
    throw new AppError("FORBIDDEN", `this needs the ${role} role`);
  }
}

export function isAdmin(principal: Principal): boolean {
  return hasRole(principal, "admin");
}
