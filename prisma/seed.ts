import { PrismaPg } from "@prisma/adapter-pg";
import { hashPassword } from "@/lib/auth/password";
import { generateApiKey } from "@/lib/auth/api-key-token";
import { PrismaClient } from "@/lib/db/generated/client";

/**
 * Demo data: four providers with realistic GPU machines, a demo tenant, an admin and a few
 * finished auctions so the market shows prices. Idempotent: runs once per database.
 */
export const DEMO_PASSWORD = "bidcloud-demo";

const GiB = 1024n ** 3n;
/** Akash's own auditor; SDL templates often require it (signedBy.anyOf). */
const AKASH_AUDITOR = "akash1365yvmc4s7awdyj3n2sav7xfx76adc6dnmlx63";
const TiB = 1024n ** 4n;

const PROVIDERS = [
  {
    email: "hopper@demo.bidcloud",
    name: "Hopper Compute",
    region: "us-west",
    hostUri: "https://provider.hopper.example:8443",
    attributes: { tier: "datacenter", "network-speed": "100g" },
    auditedBy: [AKASH_AUDITOR],
    machines: [
      {
        model: "h100",
        memoryGiB: 80,
        interface: "sxm",
        count: 8,
        cpu: 128_000,
        mem: 2048n * GiB,
        disk: 30n * TiB,
      },
      {
        model: "h100",
        memoryGiB: 80,
        interface: "pcie",
        count: 4,
        cpu: 64_000,
        mem: 1024n * GiB,
        disk: 15n * TiB,
      },
    ],
  },
  {
    email: "ampere@demo.bidcloud",
    name: "Ampere Cloud",
    region: "eu-central",
    hostUri: "https://akash.ampere.example:8443",
    attributes: { tier: "datacenter" },
    auditedBy: [AKASH_AUDITOR],
    machines: [
      {
        model: "a100",
        memoryGiB: 80,
        interface: "sxm",
        count: 8,
        cpu: 96_000,
        mem: 1024n * GiB,
        disk: 20n * TiB,
      },
      {
        model: "a100",
        memoryGiB: 80,
        interface: "pcie",
        count: 4,
        cpu: 48_000,
        mem: 512n * GiB,
        disk: 8n * TiB,
      },
    ],
  },
  {
    email: "lovelace@demo.bidcloud",
    name: "Lovelace Labs",
    region: "us-east",
    hostUri: "https://gpu.lovelace.example:8443",
    attributes: { tier: "datacenter" },
    machines: [
      {
        model: "l40s",
        memoryGiB: 48,
        interface: "pcie",
        count: 8,
        cpu: 64_000,
        mem: 512n * GiB,
        disk: 8n * TiB,
      },
    ],
  },
  {
    email: "garage@demo.bidcloud",
    name: "Garage GPUs",
    region: "us-east",
    hostUri: "https://rig.garage.example:8443",
    attributes: { tier: "community" },
    machines: [
      {
        model: "rtx4090",
        memoryGiB: 24,
        interface: "pcie",
        count: 4,
        cpu: 32_000,
        mem: 256n * GiB,
        disk: 4n * TiB,
      },
      {
        model: "rtx4090",
        memoryGiB: 24,
        interface: "pcie",
        count: 2,
        cpu: 16_000,
        mem: 128n * GiB,
        disk: 2n * TiB,
      },
    ],
  },
] as const;

/** Past auctions, so the market page shows winning prices per model from the first start. */
const PAST_LEASES = [
  { provider: 0, model: "h100", units: 1, price: 2_490_000n, hoursAgo: 30 },
  { provider: 0, model: "h100", units: 2, price: 4_900_000n, hoursAgo: 12 },
  { provider: 1, model: "a100", units: 1, price: 1_390_000n, hoursAgo: 20 },
  { provider: 1, model: "a100", units: 4, price: 5_600_000n, hoursAgo: 6 },
  { provider: 2, model: "l40s", units: 1, price: 790_000n, hoursAgo: 9 },
  { provider: 3, model: "rtx4090", units: 1, price: 340_000n, hoursAgo: 3 },
] as const;

export interface SeedResult {
  seeded: boolean;
  logins: { role: string; email: string; password: string }[];
}

export async function seedDemoData(
  databaseUrl: string,
  options: { adminEmail: string },
): Promise<SeedResult> {
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: 2 }) });
  const logins = [
    { role: "tenant", email: "tenant@demo.bidcloud", password: DEMO_PASSWORD },
    { role: "provider", email: PROVIDERS[0].email, password: DEMO_PASSWORD },
    { role: "admin", email: options.adminEmail, password: DEMO_PASSWORD },
  ];
  try {
    if (await prisma.account.findUnique({ where: { email: "tenant@demo.bidcloud" } })) {
      return { seeded: false, logins };
    }
    const passwordHash = await hashPassword(DEMO_PASSWORD, 15);
    const key = () => {
      const token = generateApiKey();
      return { name: "default", prefix: token.prefix, hash: token.hash };
    };
    await prisma.$transaction(async (tx) => {
      const tenant = await tx.account.create({
        data: { email: "tenant@demo.bidcloud", passwordHash, roles: ["tenant"], apiKeys: { create: key() } },
      });
      await tx.account.upsert({
        where: { email: options.adminEmail },
        create: { email: options.adminEmail, passwordHash, roles: ["admin"], apiKeys: { create: key() } },
        update: {},
      });
      const providerIds: string[] = [];
      for (const spec of PROVIDERS) {
        const account = await tx.account.create({
          data: { email: spec.email, passwordHash, roles: ["provider"], apiKeys: { create: key() } },
        });
        const provider = await tx.provider.create({
          data: {
            accountId: account.id,
            name: spec.name,
            hostUri: spec.hostUri,
            region: spec.region,
            attributes: spec.attributes,
            auditedBy: "auditedBy" in spec ? [...spec.auditedBy] : [],
            inventory: {
              create: spec.machines.map((machine) => ({
                gpuVendor: "nvidia",
                gpuModel: machine.model,
                gpuMemoryGiB: machine.memoryGiB,
                gpuInterface: machine.interface,
                gpuCount: machine.count,
                cpuMillicores: machine.cpu,
                memoryBytes: machine.mem,
                storageBytes: machine.disk,
              })),
            },
          },
        });
        providerIds.push(provider.id);
      }
      const now = Date.now();
      for (const past of PAST_LEASES) {
        const providerId = providerIds[past.provider]!;
        const opened = new Date(now - past.hoursAgo * 3_600_000);
        const closed = new Date(opened.getTime() + 2 * 3_600_000);
        const order = await tx.order.create({
          data: {
            tenantId: tenant.id,
            gpuUnits: past.units,
            gpuVendor: "nvidia",
            gpuModel: past.model,
            cpuMillicores: 8_000 * past.units,
            memoryBytes: 64n * GiB * BigInt(past.units),
            storageBytes: 200n * GiB,
            count: 1,
            maxPricePerHour: (past.price * 13n) / 10n,
            state: "closed",
            expiresAt: new Date(opened.getTime() + 86_400_000),
            createdAt: new Date(opened.getTime() - 60_000),
            closedAt: closed,
          },
        });
        const bid = await tx.bid.create({
          data: {
            orderId: order.id,
            providerId,
            pricePerHour: past.price,
            state: "closed",
            expiresAt: new Date(opened.getTime() + 300_000),
            createdAt: new Date(opened.getTime() - 30_000),
            closedAt: closed,
          },
        });
        await tx.lease.create({
          data: {
            orderId: order.id,
            bidId: bid.id,
            tenantId: tenant.id,
            providerId,
            pricePerHour: past.price,
            state: "closed",
            closeReason: "owner",
            createdAt: opened,
            closedAt: closed,
          },
        });
      }
    });
    return { seeded: true, logins };
  } finally {
    await prisma.$disconnect();
  }
}
