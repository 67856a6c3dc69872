import { describe, expect, it } from 'vitest';
import {
  defaultFaultRate,
  faultProfiles,
  faultSettings,
  faultSettingsFromEnvironment,
  InvalidFaultSettingsError,
} from '../../../src/faults/profiles';

describe('fault settings from the environment', () => {
  it('is off when LOCAL_FAULTS is unset or blank', () => {
    // Prepare
    const environments = [{}, { LOCAL_FAULTS: '' }, { LOCAL_FAULTS: '  ', LOCAL_FAULTS_RATE: '0.5' }];

    // Act
    const settings = environments.map((env) => faultSettingsFromEnvironment(env));

    // Assess
    expect(settings).toEqual([undefined, undefined, undefined]);
  });

  it('turns every profile on for "all", at the default rate and a random seed', () => {
    // Prepare
    const env = { LOCAL_FAULTS: 'all' };

    // Act
    const settings = faultSettingsFromEnvironment(env);

    // Assess
    expect([...(settings?.profiles ?? [])]).toEqual([...faultProfiles]);
    expect(settings?.rate).toBe(defaultFaultRate);
    expect(Number.isInteger(settings?.seed)).toBe(true);
  });

  it('reads a comma-separated list of profiles, the rate and the seed', () => {
    // Prepare
    const env = {
      LOCAL_FAULTS: ' Throttling, stale-reads ,',
      LOCAL_FAULTS_RATE: '0.25',
      LOCAL_FAULTS_SEED: '42',
    };

    // Act
    const settings = faultSettingsFromEnvironment(env);

    // Assess
    expect(settings).toEqual({ profiles: new Set(['throttling', 'stale-reads']), rate: 0.25, seed: 42 });
  });

  it('refuses an unknown profile, naming it and the known ones', () => {
    // Prepare
    const env = { LOCAL_FAULTS: 'throttling,chaos-monkey' };

    // Act
    const parse = () => faultSettingsFromEnvironment(env);

    // Assess
    expect(parse).toThrow(InvalidFaultSettingsError);
    expect(parse).toThrow(
      'LOCAL_FAULTS: unknown fault profile "chaos-monkey" (known: contention, throttling, crashes, duplicates, stale-reads, or all)',
    );
  });

  it.each(['-0.01', '1.5', 'often'])('refuses the rate %s, naming LOCAL_FAULTS_RATE', (rate) => {
    // Prepare
    const env = { LOCAL_FAULTS: 'all', LOCAL_FAULTS_RATE: rate };

    // Act
    const parse = () => faultSettingsFromEnvironment(env);

    // Assess
    expect(parse).toThrow(InvalidFaultSettingsError);
    expect(parse).toThrow(/^LOCAL_FAULTS_RATE must be/);
  });

  it.each([
    ['0', 0],
    ['1', 1],
  ])('accepts the bound %s as a rate', (rate, expected) => {
    // Prepare
    const env = { LOCAL_FAULTS: 'all', LOCAL_FAULTS_RATE: rate };

    // Act
    const settings = faultSettingsFromEnvironment(env);

    // Assess
    expect(settings?.rate).toBe(expected);
  });

  it.each(['1.5', '-3', 'x'])('refuses the seed %s, naming LOCAL_FAULTS_SEED', (seed) => {
    // Prepare
    const env = { LOCAL_FAULTS: 'all', LOCAL_FAULTS_SEED: seed };

    // Act
    const parse = () => faultSettingsFromEnvironment(env);

    // Assess
    expect(parse).toThrow(/^LOCAL_FAULTS_SEED must be/);
  });
});

describe('fault settings from options', () => {
  it('names the option in its errors', () => {
    // Prepare
    const options = { profiles: ['crashes'] as const, rate: 2 };

    // Act
    const parse = () => faultSettings(options);

    // Assess
    expect(parse).toThrow('faults.rate must be a probability from 0 to 1, got 2');
  });
});
