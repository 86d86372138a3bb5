import { z } from "zod";

/**
 * The environment, parsed once. Nothing else reads process.env (scripts under scripts/
 * that launch processes are the exception: they set it).
 */
const booleanString = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((value) => value === "true" || value === "1");

const evmAddress = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, { message: "must be a 0x-prefixed 20-byte hex address" });

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** Any PostgreSQL. The launcher sets it to the embedded PGlite socket when unset. */
  DATABASE_URL: z.string().url().optional(),
  /** Public URL of the app, e.g. https://bidcloud.example; decides secure cookies and the SIWE domain. */
  APP_URL: z.string().url().default("http://127.0.0.1:3000"),
  /** Signs session tokens; at least 32 characters. The launcher generates one into the data folder. */
  AUTH_SECRET: z.string().min(32).optional(),
  /** Comma-separated emails that are admins whenever they sign in. */
  ADMIN_EMAILS: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((email) => email.trim().toLowerCase())
        .filter(Boolean),
    ),
  BID_TTL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(300),
  ORDER_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(30 * 86_400)
    .default(86_400),
  /** USD per AKT, to turn SDL prices in uakt per block into dollars per hour. */
  AKT_PRICE_USD: z
    .string()
    .regex(/^\d+(\.\d{1,6})?$/, { message: 'must be a decimal like "1.25"' })
    .default("1.00"),
  /** Default window, in seconds, before an auto-accepting deployment takes its cheapest bid. */
  AUTO_ACCEPT_SECONDS: z.coerce.number().int().min(1).max(3_600).default(10),
  /** Sign-ups and sign-ins allowed per client address per minute. */
  AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  /** Trust X-Forwarded-For for the client address (only behind a proxy that sets it). */
  TRUST_PROXY: booleanString,
  /** log2 of scrypt's cost N for password hashes (17 is OWASP's recommendation). */
  PASSWORD_SCRYPT_LOG_N: z.coerce.number().int().min(14).max(20).default(17),
  /** Seconds between keepalives on event streams; each one also re-checks the caller's key or session. */
  EVENTS_KEEPALIVE_SECONDS: z.coerce.number().int().min(1).max(300).default(15),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** JSON-RPC URL of the EVM chain that holds the escrow. Unset: escrow is off (nothing is written for a chain). */
  EVM_RPC_URL: z.string().url().optional(),
  /** Chain id the RPC must report; transactions are signed for it. */
  EVM_CHAIN_ID: z.coerce.number().int().positive().optional(),
  /** Address of the BidcloudEscrow contract. */
  ESCROW_ADDRESS: evmAddress.optional(),
  /** Address of the ERC-20 the escrow holds (USDC). */
  TOKEN_ADDRESS: evmAddress.optional(),
  /** Decimals of that token; amounts in the API have at most this many. */
  TOKEN_DECIMALS: z.coerce.number().int().min(0).max(36).default(6),
  /** Display symbol of the token. */
  TOKEN_SYMBOL: z.string().min(1).max(11).default("USDC"),
  /** 32-byte hex secret every managed key (operator, verifier, wallets) is derived from. Never logged. */
  CHAIN_MASTER_SECRET: z
    .string()
    .regex(/^(0x)?[0-9a-fA-F]{64}$/, { message: "must be 32 bytes of hex" })
    .optional(),
  /** Blocks on top of a transaction's block before it counts as confirmed (1: its own block). */
  EVM_CONFIRMATIONS: z.coerce.number().int().min(1).max(100).default(1),
  /** Seconds a sent transaction may wait unmined before it is replaced with a higher fee. */
  EVM_STUCK_TX_SECONDS: z.coerce.number().int().min(5).max(3_600).default(30),
  /** Local chains only: the wallet page offers test tokens and gas. */
  EVM_FAUCET: booleanString,
  /** Seconds between settlements of running leases. */
  SETTLE_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** Warn tenants when an escrow's funds last less than this many seconds. */
  RUNWAY_WARNING_SECONDS: z.coerce.number().int().min(60).default(86_400),
  /** First block the indexer reads (the block the escrow was deployed in, on a long chain). */
  ESCROW_START_BLOCK: z.coerce.bigint().min(0n).default(0n),
  /** Seconds between the verifier's checks of running leases (heartbeat fresh, probes good). */
  VERIFY_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(300).default(5),
  /** A heartbeat older than this (server clock) no longer counts: the check fails. */
  HEARTBEAT_TTL_SECONDS: z.coerce.number().int().min(2).max(600).default(15),
  /** A heartbeat whose own time is further than this from the server clock is refused as stale. */
  HEARTBEAT_MAX_SKEW_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
  /** Consecutive failed checks of a lease that had been running before it closes as unstable. */
  VERIFIER_MAX_FAILURES: z.coerce.number().int().min(1).max(1_000).default(6),
  /** A lease with nothing verified running this long after it opened closes as manifest_timeout. */
  MANIFEST_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(86_400).default(300),
  /** Probe service URIs on loopback addresses (a single-machine setup such as npm start's demo). */
  VERIFIER_ALLOW_LOOPBACK: booleanString,
  /** How long a probe of a service URI may take. */
  PROBE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3_000),
  /** Log lines kept per lease (the newest). */
  LEASE_LOG_LINES: z.coerce.number().int().min(10).max(1_000_000).default(5_000),
  /** Crash tests only: the process kills itself at this named point (lib/chain/fault-points.ts). */
  FAULT_POINT: z.string().optional(),
});

export type Env = z.infer<typeof EnvSchema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = EnvSchema.safeParse(process.env);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
      throw new Error(`Invalid environment:\n  ${problems.join("\n  ")}`);
    }
    cached = parsed.data;
  }
  return cached;
}

export function authSecret(): string {
  const secret = env().AUTH_SECRET;
  if (!secret) throw new Error("AUTH_SECRET is not set (npm start generates one; set it in production)");
  return secret;
}

export function databaseUrl(): string {
  const url = env().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set (npm start serves the embedded database and sets it)");
  return url;
}

/** Tests change the environment between suites. */
export function resetEnvForTests(): void {
  cached = undefined;
}
