import type { SdkCall } from '../sdk-hooks';
import { FaultCounter, type FaultCounts, type FaultKind } from './fault-counts';
import { type FaultProfile, type FaultSettings, faultSettings } from './profiles';
import { FaultRandom } from './random';

/** What a fault would hit: a handler's AWS call (or one attempt of it), or a delivery to a handler. */
export interface FaultTarget {
  readonly functionName: string;
  /** Absent for the delivery of a queue batch or a stream batch. */
  readonly call?: {
    readonly service: string;
    readonly operation: string;
    /** As serialised: DocumentClient values are marshalled (`{ S: 'x' }`). */
    readonly input: Readonly<Record<string, unknown>>;
    /** The SDK's attempt number, for faults decided per attempt; absent for those decided per call. */
    readonly attempt?: number;
  };
}

/** Changes to the running fault injection: a chaos run or a test turns profiles on and off. */
export interface FaultUpdate {
  readonly profiles?: 'all' | readonly FaultProfile[];
  readonly rate?: number;
  /**
   * Only targets this accepts get faults (tests aim at one call this way); `null` removes the
   * limit. Targets it refuses draw no random number, so they do not shift later decisions.
   */
  readonly only?: ((target: FaultTarget) => boolean) | null;
}

/**
 * Decides each fault: its profile is on, the target belongs to one of the stack's functions (never
 * the local stack's own work, even when it runs as a route like `/_local/...`) and is within
 * `only`, and the profile's random stream says so at the rate. Counts what was injected.
 */
export class FaultDecisions {
  readonly random: FaultRandom;
  private readonly counter = new FaultCounter();
  private current: FaultSettings;
  private only: ((target: FaultTarget) => boolean) | null = null;

  private readonly functionNames: ReadonlySet<string>;

  /** `functionNames`: the stack's functions, the only ones whose calls and deliveries get faults. */
  constructor(settings: FaultSettings, functionNames: Iterable<string>) {
    this.functionNames = new Set(functionNames);
    this.current = settings;
    this.random = new FaultRandom(settings.seed);
  }

  get settings(): FaultSettings {
    return this.current;
  }

  configure(update: FaultUpdate): void {
    const profiles = update.profiles ?? [...this.current.profiles];
    const rate = update.rate ?? this.current.rate;
    this.current = faultSettings({ profiles, rate, seed: this.current.seed });
    if (update.only !== undefined) this.only = update.only;
  }

  isOn(profile: FaultProfile): boolean {
    return this.current.profiles.has(profile);
  }

  /** Whether `target` may get faults of `profile` at all (no random number drawn). */
  applies(profile: FaultProfile, target: FaultTarget): boolean {
    return this.isOn(profile) && this.functionNames.has(target.functionName) && (this.only?.(target) ?? true);
  }

  /** Whether to inject a fault of `profile` into `target`, drawn from `stream` at the rate. */
  decide(profile: FaultProfile, stream: string, target: FaultTarget): boolean {
    return this.applies(profile, target) && this.random.chance(stream, this.current.rate);
  }

  record(kind: FaultKind): void {
    this.counter.record(kind);
  }

  counts(): FaultCounts {
    return this.counter.counts();
  }

  total(): number {
    return this.counter.total();
  }
}

/** The target of a fault in a handler's SDK call; `undefined` for the local stack's own calls. */
export function callTarget(
  call: SdkCall,
  input: Readonly<Record<string, unknown>>,
  attempt?: number,
): FaultTarget | undefined {
  if (!call.invocation) return undefined;
  return {
    functionName: call.invocation.functionName,
    call: {
      service: call.service,
      operation: call.operation,
      input,
      ...(attempt === undefined ? {} : { attempt }),
    },
  };
}
