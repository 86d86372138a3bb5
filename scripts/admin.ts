/**
 * Admin accounts from the command line:
 *   npm run admin -- grant <email>    give an existing account the admin role
 *   npm run admin -- revoke <email>   take it away
 * Uses DATABASE_URL (for the embedded database, run while `npm start` is running:
 * DATABASE_URL=postgresql://postgres@127.0.0.1:54329/postgres).
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/db/generated/client";

async function main(): Promise<number> {
  const [command, rawEmail] = process.argv.slice(2);
  const url = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:54329/postgres";
  if ((command !== "grant" && command !== "revoke") || !rawEmail) {
    process.stderr.write("usage: npm run admin -- grant|revoke <email>\n");
    return 2;
  }
  const email = rawEmail.trim().toLowerCase();
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 1 }) });
  try {
    const account = await prisma.account.findUnique({ where: { email } });
    if (!account) {
      process.stderr.write(`no account with email ${email}; sign up first\n`);
      return 1;
    }
    const roles =
      command === "grant"
        ? [...new Set([...account.roles, "admin" as const])]
        : account.roles.filter((role) => role !== "admin");
    await prisma.account.update({ where: { id: account.id }, data: { roles } });
    process.stdout.write(`${email}: roles ${roles.join(", ") || "(none)"}\n`);
    return 0;
  } finally {
    await prisma.$disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
