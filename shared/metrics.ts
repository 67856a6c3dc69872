import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';
import { CHANNELS, type Channel } from './domain/invite';
import type { InviteJob } from './domain/job';
import { logger } from './logger';
import {
  ACTIVATIONS_NOT_RECORDED_METRIC,
  CHANNEL_DIMENSION,
  INVITE_OUTCOME_METRICS,
  type InviteOutcome,
  JOB_DURATION_METRIC,
  JOB_KIND_DIMENSION,
  METRICS_NAMESPACE,
} from './metric-names';

/**
 * Built at the first metric, not at import: most invocations record none, and a cold start need
 * not build Powertools' metrics (its console, its environment read, about 1 ms) to find nothing
 * stored at the end of the invocation.
 */
let built: Metrics | undefined;

/**
 * Business metrics in CloudWatch's embedded metric format: JSON lines on stdout, which CloudWatch
 * turns into metrics as Lambda writes them to the log group (locally they are only printed). The service dimension
 * comes from POWERTOOLS_SERVICE_NAME. Values are counts and durations, and dimensions come from
 * closed lists, so no metric can carry personal data.
 */
export function businessMetrics(): Metrics {
  built ??= new Metrics({ namespace: METRICS_NAMESPACE, logger });
  return built;
}

export type JobKind = InviteJob['kind'];
const JOB_KINDS: readonly JobKind[] = ['bulk', 'scheduled'];

/** A dimension value from its closed list; anything else (a type cast gone wrong) becomes `other`. */
function listed<T extends string>(value: T, allowed: readonly T[]): string {
  return allowed.includes(value) ? value : 'other';
}

/**
 * Each call is published at once as its own document: a batch handles invites of several
 * channels, and metrics published together would have to share one value of `channel`.
 */
export function recordInviteOutcome(channel: Channel, outcome: InviteOutcome): void {
  const single = reusedSingleMetric();
  single.addDimension(CHANNEL_DIMENSION, listed(channel, CHANNELS));
  single.addMetric(INVITE_OUTCOME_METRICS[outcome], MetricUnit.Count, 1);
}

let singleMetric: Metrics | undefined;

/**
 * One single-metric instance per container, made at first use: `singleMetric()` builds a whole
 * `Metrics` each time (its own console, its environment read again), a twentieth of a warm invite
 * send in a CPU profile of the sender. Publishing, which each `addMetric` does at once, clears
 * its dimensions; they are cleared here too, in case a previous use stopped before publishing.
 */
function reusedSingleMetric(): Metrics {
  singleMetric ??= businessMetrics().singleMetric();
  singleMetric.clearDimensions();
  return singleMetric;
}

/**
 * How long a job took, by kind of job. Call it once per job, where it finishes, with the time
 * since the job was created.
 */
export function recordJobCompleted(kind: JobKind, durationMs: number): void {
  const single = reusedSingleMetric();
  single.addDimension(JOB_KIND_DIMENSION, listed(kind, JOB_KINDS));
  single.addMetric(JOB_DURATION_METRIC, MetricUnit.Milliseconds, Math.max(0, durationMs));
}

/** A parent's sign-in whose activation could not be written (see the parent-activation trigger). */
export function recordActivationNotRecorded(): void {
  businessMetrics().singleMetric().addMetric(ACTIVATIONS_NOT_RECORDED_METRIC, MetricUnit.Count, 1);
}

/**
 * Publishes what was added to {@link businessMetrics} directly during the invocation. Unlike Powertools'
 * `logMetrics`, it stays quiet when there is nothing to publish (most invocations), instead of
 * warning on every one.
 */
export function publishStoredMetrics(): void {
  if (built?.hasStoredMetrics()) built.publishStoredMetrics();
}

/** Middy middleware: {@link publishStoredMetrics} at the end of every invocation, failed or not. */
export function storedMetricsPublisher(): MiddlewareObj {
  return { after: publishStoredMetrics, onError: publishStoredMetrics };
}
