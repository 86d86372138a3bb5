import type { Role } from "@/lib/auth/principal";

/** Where a signed-in account lands: its first dashboard, tenant before provider before admin. */
export function dashboardPath(roles: readonly Role[]): string {
  if (roles.includes("tenant")) return "/tenant";
  if (roles.includes("provider")) return "/provider";
  if (roles.includes("admin")) return "/admin";
  return "/market";
}

/** A callback URL from a query string, kept only when it is a path on this site (no open redirect). */
export function safeCallbackPath(value: string | string[] | undefined): string | null {
  const path = Array.isArray(value) ? value[0] : value;
  if (!path || !path.startsWith("/") || path.startsWith("//")) return null;
  // Browsers drop tabs and newlines and read a backslash as a slash: "/<tab>/evil.example" leaves the site.
  if (/[\u0000-\u001f\u007f\\]/.test(path)) return null;
  const base = "https://bidcloud.invalid";
  if (new URL(path, base).origin !== base) return null;
  if (path.startsWith("/sign-in") || path.startsWith("/sign-up")) return null;
  return path;
}
