import { randomInt } from 'node:crypto';
import * as z from 'zod';

/** The kinds of trouble AWS causes and the emulators never do, each switched on by name. */
export const faultProfiles = ['contention', 'throttling', 'crashes', 'duplicates', 'stale-reads'] as const;

export type FaultProfile = (typeof faultProfiles)[number];

/** What the local stack injects: which profiles, how often, from which seed. */
export interface FaultSettings {
  readonly profiles: ReadonlySet<FaultProfile>;
  /** Probability of a fault at each decision point (a call, an attempt, a delivery). */
  readonly rate: number;
  /** Every decision follows from it: the same seed and the same calls give the same faults. */
  readonly seed: number;
}

/** How `startLocalStack` takes fault settings (its `faults` option). */
export interface FaultOptions {
  /** `'all'` or a list of profiles; an empty list installs the machinery with nothing on yet. */
  readonly profiles: 'all' | readonly FaultProfile[];
  /** @default 0.05 */
  readonly rate?: number;
  /** @default a random seed, reported in the settings */
  readonly seed?: number;
}

/** The fault settings are invalid; the message names the variable or option and the value. */
export class InvalidFaultSettingsError extends Error {
  override name = 'InvalidFaultSettingsError';
}

export const defaultFaultRate = 0.05;

const profileSchema = z.enum(faultProfiles);
const rateSchema = z.number().min(0).max(1);
const seedSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/**
 * The settings `LOCAL_FAULTS`, `LOCAL_FAULTS_RATE` and `LOCAL_FAULTS_SEED` describe, or
 * `undefined` when `LOCAL_FAULTS` is unset or empty (no fault injection at all).
 *
 * @throws InvalidFaultSettingsError naming the variable and what is wrong with it.
 */
export function faultSettingsFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): FaultSettings | undefined {
  const list = env.LOCAL_FAULTS?.trim() ?? '';
  if (list === '') return undefined;
  const names = list.split(',').map((name) => name.trim().toLowerCase());
  return faultSettings(
    {
      profiles: names.includes('all') ? 'all' : (names.filter((name) => name !== '') as FaultProfile[]),
      rate: numberFrom(env.LOCAL_FAULTS_RATE, 'LOCAL_FAULTS_RATE'),
      seed: numberFrom(env.LOCAL_FAULTS_SEED, 'LOCAL_FAULTS_SEED'),
    },
    { profiles: 'LOCAL_FAULTS', rate: 'LOCAL_FAULTS_RATE', seed: 'LOCAL_FAULTS_SEED' },
  );
}

/**
 * Validates fault options, filling in the default rate and a random seed.
 *
 * @throws InvalidFaultSettingsError naming the option and what is wrong with it.
 */
export function faultSettings(
  options: FaultOptions,
  names: { readonly profiles: string; readonly rate: string; readonly seed: string } = {
    profiles: 'faults.profiles',
    rate: 'faults.rate',
    seed: 'faults.seed',
  },
): FaultSettings {
  const profiles = new Set<FaultProfile>();
  for (const name of options.profiles === 'all' ? faultProfiles : options.profiles) {
    const parsed = profileSchema.safeParse(name);
    if (!parsed.success) {
      throw new InvalidFaultSettingsError(
        `${names.profiles}: unknown fault profile "${name}" (known: ${faultProfiles.join(', ')}, or all)`,
      );
    }
    profiles.add(parsed.data);
  }
  const rate = rateSchema.safeParse(options.rate ?? defaultFaultRate);
  if (!rate.success) {
    throw new InvalidFaultSettingsError(
      `${names.rate} must be a probability from 0 to 1, got ${String(options.rate)}`,
    );
  }
  const seed = seedSchema.safeParse(options.seed ?? randomInt(0, 2 ** 32));
  if (!seed.success) {
    throw new InvalidFaultSettingsError(
      `${names.seed} must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}, got ${String(options.seed)}`,
    );
  }
  return { profiles, rate: rate.data, seed: seed.data };
}

/** One line for logs and the `npm start` banner, enough to repeat the run. */
export function describeFaultSettings(settings: FaultSettings): string {
  const profiles = [...settings.profiles].join(', ') || 'none yet';
  return `${profiles} at rate ${settings.rate}, seed ${settings.seed} (LOCAL_FAULTS_SEED=${settings.seed} repeats it)`;
}

/** A number from an environment variable; a blank one is unset, anything else must be numeric. */
function numberFrom(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (Number.isNaN(value)) throw new InvalidFaultSettingsError(`${name} must be a number, got "${raw}"`);
  return value;
}
