/**
 * Request throttles, in this process, from `rate-limiter-flexible`: a burst brake per key (a kiosk, a
 * client address). They bound how fast one caller can make the hub work; they are not the lockouts,
 * which must hold across hub processes and so are counted in the store (../attempts.ts).
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export type ThrottleVerdict = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

export interface Throttle {
  take(key: string): Promise<ThrottleVerdict>;
}

/** `points` requests per key in each `seconds`-long window. */
export function throttle(points: number, seconds: number): Throttle {
  const limiter = new RateLimiterMemory({ points, duration: seconds });
  return {
    async take(key) {
      try {
        await limiter.consume(key);
        return { allowed: true };
      } catch (refusal) {
        if (!(refusal instanceof RateLimiterRes)) throw refusal;
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) };
      }
    },
  };
}
