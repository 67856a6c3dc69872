import { HttpProblem } from './problem';

/** 503 for work that could not be handed to a queue; nothing was left half done, so retrying is safe. */
export const serviceUnavailable = (detail: string) =>
  new HttpProblem(503, 'Service unavailable', detail, [], { 'retry-after': '5' });
