/**
 * Fixed-window counter per key, kept in this process. Sign-in and sign-up are the only
 * users; one app process serves them. A deployment with several processes should put a
 * shared limiter (the database or Redis) behind this same function.
 */
export interface RateLimiter {
  /** Counts one attempt; returns seconds to wait when over the limit, or 0. */
  hit(key: string, now?: number): number;
}

export function createRateLimiter(limit: number, windowMs: number): RateLimiter {
  const windows = new Map<string, { startedAt: number; count: number }>();
  return {
    hit(key, now = Date.now()) {
      if (windows.size > 10_000) {
        for (const [k, w] of windows) if (now - w.startedAt >= windowMs) windows.delete(k);
      }
      const current = windows.get(key);
      if (!current || now - current.startedAt >= windowMs) {
        windows.set(key, { startedAt: now, count: 1 });
        return 0;
      }
      current.count += 1;
      if (current.count <= limit) return 0;
      return Math.ceil((current.startedAt + windowMs - now) / 1000);
    },
  };
}

const globalForLimits = globalThis as unknown as { bidcloudAuthLimiter?: RateLimiter };

/** Shared by sign-up (API and form) and sign-in. */
export function authRateLimiter(limitPerMinute: number): RateLimiter {
  globalForLimits.bidcloudAuthLimiter ??= createRateLimiter(limitPerMinute, 60_000);
  return globalForLimits.bidcloudAuthLimiter;
}
