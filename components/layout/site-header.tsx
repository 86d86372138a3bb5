import Link from "next/link";
import type { Principal } from "@/lib/auth/principal";
import { buttonClasses } from "@/components/ui/button";
import { SignOutButton } from "./sign-out-button";

/** Top navigation: the links a caller's roles open, wrapping onto a second row on a phone. */
export function SiteHeader({ principal }: { principal: Principal | null }) {
  const links: { href: string; label: string }[] = [{ href: "/market", label: "Market" }];
  if (principal?.roles.includes("tenant")) {
    links.push({ href: "/tenant", label: "Tenant" }, { href: "/tenant/deployments", label: "Deployments" });
  }
  if (principal?.roles.includes("provider")) links.push({ href: "/provider", label: "Provider" });
  if (principal?.roles.includes("admin")) links.push({ href: "/admin", label: "Admin" });
  if (principal) links.push({ href: "/settings/api-keys", label: "API keys" });

  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
        <Link href="/" className="flex items-center gap-2 text-lg font-bold tracking-tight text-slate-900">
          <span aria-hidden className="inline-block h-6 w-6 rounded-md bg-brand-600" />
          Bidcloud
        </Link>
        <nav aria-label="Main" className="order-3 flex w-full gap-1 overflow-x-auto sm:order-none sm:w-auto">
          {links.map((link) => (
            <Link
              key={link.href}
              href={link.href}
              className="whitespace-nowrap rounded-md px-2.5 py-1.5 text-sm font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900"
            >
              {link.label}
            </Link>
          ))}
        </nav>
        <div className="ml-auto flex items-center gap-2">
          {principal ? (
            <>
              <span className="hidden max-w-48 truncate text-sm text-slate-500 md:inline">
                {principal.email ?? principal.ethAddress}
              </span>
              <SignOutButton />
            </>
          ) : (
            <>
              <Link href="/sign-in" className={buttonClasses("ghost", "sm")}>
                Sign in
              </Link>
              <Link href="/sign-up" className={buttonClasses("primary", "sm")}>
                Sign up
              </Link>
            </>
          )}
        </div>
      </div>
    </header>
  );
}
