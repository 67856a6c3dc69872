import { totalFaults } from './fault-profiles';
import type { ProfileResult } from './profile-run';

const COLUMNS = [
  'profile',
  'faults injected',
  'students',
  'parents',
  'attempts',
  'messages',
  'duplicates',
  'misrecorded parents',
  'jobs not completed',
  're-sent after interruption',
  'violations',
  'wall s',
] as const;

function row(result: ProfileResult): string[] {
  const { report } = result;
  const faults = totalFaults(result.faults);
  return [
    result.profile,
    faults === null ? 'n/a (no /_local/faults)' : `${faults} (${faultBreakdown(result.faults ?? {})})`,
    String(result.students),
    String(report.parents),
    String(report.attempts),
    String(report.messages),
    String(report.duplicates),
    String(report.misrecordedParents),
    String(report.unfinishedJobs),
    String(report.resentAfterInterruption),
    String(result.violations.length),
    result.seconds.toFixed(1),
  ];
}

function faultBreakdown(counts: Readonly<Record<string, number>>): string {
  const nonZero = Object.entries(counts).filter(([, count]) => count > 0);
  return nonZero.length === 0 ? 'none' : nonZero.map(([kind, count]) => `${kind} ${count}`).join(', ');
}

/** The results as a Markdown table, ready to paste into RELIABILITY.md. */
export function resultsTable(results: readonly ProfileResult[]): string {
  const lines = [COLUMNS.map(String), COLUMNS.map(() => '---'), ...results.map(row)];
  return lines.map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** Each failing profile's violations, under its name. */
export function violationsReport(results: readonly ProfileResult[]): string {
  return results
    .filter((result) => result.violations.length > 0)
    .map((result) => [`${result.profile}:`, ...result.violations.map((line) => `  - ${line}`)].join('\n'))
    .join('\n');
}
