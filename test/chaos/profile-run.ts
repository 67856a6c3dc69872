import { type LocalStack, startLocalStack } from '../../infra/local/local-stack';
import { queues } from '../../infra/wiring';
import { type FaultProfile, injectedFaults } from './fault-profiles';
import { checkInvariants, type InvariantReport } from './invariants';
import { runScenario, type ScenarioOutcome } from './scenario';
import { planScenario, type ScenarioPlan } from './scenario-plan';
import { targetFromStack } from './target';

/** One scenario run under one fault profile, with everything the results table shows. */
export interface ProfileResult {
  readonly profile: FaultProfile;
  readonly schoolId: string;
  readonly students: number;
  readonly seed: number;
  /** Injected during this run, from `GET /_local/faults`; `null` when the stack does not inject faults. */
  readonly faults: Readonly<Record<string, number>> | null;
  readonly scenario: ScenarioOutcome;
  readonly report: InvariantReport;
  /** Idle timeouts, the invariants' violations and the API's wrong answers: the run passes when it is empty. */
  readonly violations: readonly string[];
  /** From the first request until the check finished (the stack's start is not in it). */
  readonly seconds: number;
  /** The stack's start, when the run started its own. */
  readonly startSeconds: number | null;
}

/**
 * Redeliveries come far sooner than the deployed 60 s (180 s for the fan-out), so that deliveries
 * that crashed are retried several times within the run; still longer than the sender's timeout
 * (10 s). A fan-out step that outlives it is redelivered while it runs, which the fan-out's
 * conditional cursor makes harmless (the second worker finds the job taken over).
 */
const VISIBILITY_TIMEOUT_SECONDS = 12;

/** Handlers' and emulators' chatter stays out of the results; errors still show. */
const quietLogger: Pick<Console, 'info' | 'warn' | 'error'> = {
  info: () => undefined,
  warn: () => undefined,
  error: (...args) => console.error(...args),
};

/**
 * An in-memory local stack for chaos runs: the plan's bouncing addresses refused by the
 * providers, its scheduled channel, schedules fired only on request, faults from `LOCAL_FAULTS`.
 * A start that fails is tried once more: on a loaded machine DynamoDB Local can miss its start
 * deadline, which says nothing about the pipeline.
 */
export async function startChaosStack(plan: ScenarioPlan): Promise<LocalStack> {
  const start = () =>
    startLocalStack({
      port: 0,
      dynamodbPort: 0,
      inMemory: true,
      runSchedules: false,
      failRecipients: plan.failRecipients,
      settings: { scheduledChannel: plan.scheduledChannel },
      queueVisibilityTimeoutSeconds: VISIBILITY_TIMEOUT_SECONDS,
      streamPolling: { idlePollMs: 50, retryDelayMs: 10 },
      env: { POWERTOOLS_LOG_LEVEL: 'ERROR' },
      logger: quietLogger,
    });
  try {
    return await start();
  } catch (error) {
    console.error('[chaos] the local stack did not start, trying once more:', error);
    return start();
  }
}

/**
 * Runs the plan on a running stack under whatever faults it injects now, then switches them off
 * and checks the invariants of everything in the stack.
 */
export async function runPlan(
  stack: LocalStack,
  profile: FaultProfile,
  plan: ScenarioPlan,
  options: { readonly seed: number },
): Promise<Omit<ProfileResult, 'startSeconds'>> {
  const startedAt = performance.now();
  const faultsBefore = await injectedFaults(stack.url);
  const target = await targetFromStack(stack, plan.schoolId);
  // Generous for a loaded machine, plus one message's whole receive budget: under crashes a
  // message may rightly come back that often before it is done, and only after that would it sit
  // in the dead-letter queue. A stuck pipeline still ends the run instead of hanging it.
  const idleTimeoutMs =
    120_000 + plan.students.length * 300 + queues.invites.maxReceiveCount * VISIBILITY_TIMEOUT_SECONDS * 1000;
  const scenario = await runScenario(target, plan, () => stack.waitForIdle(idleTimeoutMs));
  const faultsAfter = await injectedFaults(stack.url);
  // The check reads jobs through the API: its own reads must not meet the faults under test.
  stack.faults?.configure({ profiles: [] });
  const report = await checkInvariants(target);
  return {
    profile,
    schoolId: plan.schoolId,
    students: plan.students.length,
    seed: options.seed,
    faults: faultsAfter && difference(faultsAfter, faultsBefore ?? {}),
    scenario,
    report,
    violations: [
      ...scenario.notIdle,
      ...report.violations,
      ...scenario.wrongAnswers.map((answer) => `API answer: ${answer}`),
    ],
    seconds: (performance.now() - startedAt) / 1000,
  };
}

function difference(
  after: Readonly<Record<string, number>>,
  before: Readonly<Record<string, number>>,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after).map(([kind, count]) => [kind, count - (before[kind] ?? 0)]),
  );
}

/**
 * One profile on a fresh stack of its own: the faults are the process's `LOCAL_FAULTS` (see
 * `faultEnvironment`). A local stack loads its handler modules once per process, so each such
 * run needs a process of its own (`runProfileInChildProcess`).
 */
export async function runProfile(options: {
  readonly profile: FaultProfile;
  readonly students: number;
  readonly seed: number;
  /** Called once the stack runs, so a signal handler can stop it. */
  readonly onStarted?: (stack: LocalStack) => void;
}): Promise<ProfileResult> {
  const plan = planScenario(options.students, options.seed);
  const startedAt = performance.now();
  const stack = await startChaosStack(plan);
  try {
    options.onStarted?.(stack);
    const startSeconds = (performance.now() - startedAt) / 1000;
    const result = await runPlan(stack, options.profile, plan, { seed: options.seed });
    return { ...result, startSeconds };
  } finally {
    await stack.stop();
  }
}
