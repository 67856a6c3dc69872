import { classifyProviderError } from '../domain/provider-errors';

/** Tries of one step that must not be given up lightly (it follows a message already sent). */
const TRIES = 4;

/**
 * Runs `step`, trying again after a transient error (throttle, 5xx, network) with growing,
 * jittered pauses; a permanent error, or the last transient one, is thrown.
 */
export async function retrying<T>(step: () => Promise<T>, tries = TRIES): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (attempt >= tries || classifyProviderError(error).kind === 'permanent') throw error;
      await new Promise((wake) => setTimeout(wake, (0.5 + Math.random()) * 100 * 2 ** attempt));
    }
  }
}
