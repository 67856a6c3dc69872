import { crashInvocation, hasCrashed } from '../lambda-runtime';
import type { SdkHooks } from '../sdk-hooks';
import { callTarget, type FaultDecisions } from './fault-decisions';

/** What a handler's call gets once its invocation is dead (in AWS it would never return). */
export class CallAfterCrashError extends Error {
  constructor(service: string, operation: string) {
    super(`${service} ${operation} not sent: the invocation crashed before it (local fault injection)`);
    this.name = 'CallAfterCrashError';
  }
}

/**
 * `crashes`: an invocation dies between two AWS calls, as on a Lambda timeout or an out-of-memory
 * kill. Before a call, the invocation may be killed: that call and every later one of the same
 * invocation fail without reaching the emulator, and the local runtime reports the invocation as
 * failed whatever the handler does next. The calls before the crash did happen, so the handler's
 * work is left half done, for the retry to finish.
 */
export function crashHooks(faults: FaultDecisions): SdkHooks {
  return {
    gateCall: (call, input) => {
      const invocation = call.invocation;
      if (!invocation) return;
      if (hasCrashed(invocation)) {
        faults.record('call-after-crash');
        throw new CallAfterCrashError(call.service, call.operation);
      }
      const target = callTarget(call, input);
      if (!target || !faults.decide('crashes', 'crashes', target)) return;
      faults.record('crash');
      crashInvocation(invocation, `killed before ${call.service} ${call.operation} by local fault injection`);
      throw new CallAfterCrashError(call.service, call.operation);
    },
  };
}
