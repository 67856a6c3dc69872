import { observeInvocations } from '../lambda-runtime';
import type { QueueDeliveryFaults } from '../queue-poller';
import { useSdkHooks } from '../sdk-hooks';
import type { StreamDeliveryFaults } from '../stream-poller';
import { contentionHooks } from './contention';
import { crashHooks } from './crashes';
import { duplicateDeliveries } from './duplicates';
import type { FaultCounts } from './fault-counts';
import { FaultDecisions, type FaultUpdate } from './fault-decisions';
import { indexLagHooks } from './index-lag';
import type { FaultProfile, FaultSettings } from './profiles';
import { staleReadHooks } from './stale-reads';
import { throttlingHooks } from './throttling';

/** What `GET /_local/faults` answers. */
export interface FaultReport {
  readonly enabled: boolean;
  readonly profiles: readonly FaultProfile[];
  readonly rate: number | null;
  readonly seed: number | null;
  readonly counts: Partial<FaultCounts>;
  readonly total: number;
}

/** Fault injection running in the local stack. */
export interface FaultInjection {
  /** The current profiles, rate and seed. */
  readonly settings: FaultSettings;
  /** Faults injected so far, per kind. */
  counts(): FaultCounts;
  total(): number;
  /** Turns profiles on or off, changes the rate or limits the targets, while the stack runs. */
  configure(update: FaultUpdate): void;
  report(): FaultReport;
  /** For the queue pollers' `deliveryFaults`. */
  readonly queueDeliveries: QueueDeliveryFaults;
  /** For the stream pollers' `deliveryFaults`. */
  readonly streamDeliveries: StreamDeliveryFaults;
  /** Removes every hook. */
  stop(): void;
}

/** Whose calls and deliveries get faults, and what the faults need to know of the table. */
export interface FaultScope {
  /** The stack's functions: only their invocations' calls and the deliveries to them get faults. */
  readonly functionNames: Iterable<string>;
  /** The table's partition and sort key names, to recognise an item in an index's answer. */
  readonly tableKeyNames: readonly string[];
}

/**
 * Starts injecting faults into the AWS calls made by the invocations of the scope's functions and
 * into deliveries to them. The local stack's own calls (pollers, scheduler, table creation, test
 * clients) run outside any invocation and never get one.
 */
export function startFaultInjection(settings: FaultSettings, scope: FaultScope): FaultInjection {
  const { functionNames } = scope;
  const faults = new FaultDecisions(settings, functionNames);
  const deliveries = duplicateDeliveries(faults);
  const stops = [
    // Keeps the invocation known to the SDK hooks (currentInvocation) while faults may be injected.
    observeInvocations(() => {}),
    // Crashes first: a dead invocation's call is refused before anything else could delay or answer it.
    useSdkHooks(crashHooks(faults)),
    useSdkHooks(contentionHooks(faults)),
    useSdkHooks(throttlingHooks(faults)),
    useSdkHooks(staleReadHooks(faults)),
    useSdkHooks(indexLagHooks(faults, scope.tableKeyNames)),
    useSdkHooks(deliveries.calls),
  ];
  return {
    get settings() {
      return faults.settings;
    },
    counts: () => faults.counts(),
    total: () => faults.total(),
    configure: (update) => faults.configure(update),
    report: () => ({
      enabled: faults.settings.profiles.size > 0,
      profiles: [...faults.settings.profiles],
      rate: faults.settings.rate,
      seed: faults.settings.seed,
      counts: faults.counts(),
      total: faults.total(),
    }),
    queueDeliveries: deliveries.queue,
    streamDeliveries: deliveries.stream,
    stop: () => {
      for (const stop of stops.splice(0)) stop();
    },
  };
}

/** The report when the stack runs without fault injection. */
export const noFaultReport: FaultReport = {
  enabled: false,
  profiles: [],
  rate: null,
  seed: null,
  counts: {},
  total: 0,
};
