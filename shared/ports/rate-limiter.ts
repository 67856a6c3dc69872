export type RateDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

/** Counts requests per key, to stop floods (a parent re-invited many times a minute). */
export interface RateLimiter {
  /** Counts one request for `key`: allowed while at most `limit` fell in the current window. */
  hit(key: string, limit: number, windowSeconds: number, now?: Date): Promise<RateDecision>;
}
