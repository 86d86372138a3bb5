import { decode } from "next-auth/jwt";
import { authSecret, env } from "@/lib/env";

/** next-auth's session cookie name: the __Secure- prefix goes with an https APP_URL. */
export function sessionCookieName(): string {
  return useSecureCookies() ? "__Secure-next-auth.session-token" : "next-auth.session-token";
}

export function useSecureCookies(): boolean {
  return env().APP_URL.startsWith("https://");
}

function parseCookies(header: string | null): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const index = part.indexOf("=");
    if (index <= 0) continue;
    const name = part.slice(0, index).trim();
    try {
      cookies[name] = decodeURIComponent(part.slice(index + 1).trim());
    } catch {
      cookies[name] = part.slice(index + 1).trim();
    }
  }
  return cookies;
}

/** The account id in a request's session cookie, or null. Chunked cookies (name.0, name.1) are joined. */
export async function accountIdFromCookieHeader(header: string | null): Promise<string | null> {
  const cookies = parseCookies(header);
  const name = sessionCookieName();
  let token = cookies[name];
  if (!token) {
    const chunks = Object.keys(cookies)
      .filter((key) => key.startsWith(`${name}.`))
      .sort((a, b) => Number(a.slice(name.length + 1)) - Number(b.slice(name.length + 1)));
    if (chunks.length > 0) token = chunks.map((key) => cookies[key]).join("");
  }
  if (!token) return null;
  try {
    const decoded = await decode({ token, secret: authSecret() });
    return typeof decoded?.accountId === "string" ? decoded.accountId : null;
  } catch {
    return null;
  }
}
