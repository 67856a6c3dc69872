/** Examples kept per invariant: a broken invariant on 1,000 parents must not print 1,000 lines. */
const EXAMPLES_PER_INVARIANT = 5;

/** Violations grouped by invariant, each group reduced to a few examples and a count. */
export class ViolationLog {
  private readonly byInvariant = new Map<string, string[]>();

  add(invariant: string, message: string): void {
    const messages = this.byInvariant.get(invariant) ?? [];
    messages.push(message);
    this.byInvariant.set(invariant, messages);
  }

  /** How many violations `invariant` had. */
  count(invariant: string): number {
    return this.byInvariant.get(invariant)?.length ?? 0;
  }

  /** `invariant: message` lines, with `… and N more` where a group was cut. */
  lines(): string[] {
    return [...this.byInvariant].flatMap(([invariant, messages]) => [
      ...messages.slice(0, EXAMPLES_PER_INVARIANT).map((message) => `${invariant}: ${message}`),
      ...(messages.length > EXAMPLES_PER_INVARIANT
        ? [`${invariant}: … and ${messages.length - EXAMPLES_PER_INVARIANT} more like these`]
        : []),
    ]);
  }
}
