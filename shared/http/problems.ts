import { HttpProblem } from './problem';

/** 503 for work that could not be handed to a queue; nothing was left half done, so retrying is safe. */
export const serviceUnavailable = (detail: string) =>
  new HttpProblem(503, 'Service unavailable', detail, [], { 'retry-after': '5' });

/** 429 with the seconds until the client may try again. */
export const tooManyRequests = (detail: string, retryAfterSeconds: number) =>
  new HttpProblem(429, 'Too many requests', detail, [], { 'retry-after': String(retryAfterSeconds) });
