import { inject } from "vitest";

/** Every test worker talks to the run's own database, with test-speed password hashing. */
process.env.DATABASE_URL = inject("databaseUrl");
process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret-0123456789";
process.env.APP_URL ??= "http://127.0.0.1:3999";
process.env.PASSWORD_SCRYPT_LOG_N ??= "14";
process.env.AUTH_RATE_LIMIT_PER_MINUTE ??= "100000";
process.env.ADMIN_EMAILS ??= "root@admin.test,listed@admin.test";
process.env.EVENTS_KEEPALIVE_SECONDS ??= "1";
// Agents in tests run their workloads on this machine, as in the demo.
process.env.VERIFIER_ALLOW_LOOPBACK ??= "true";
