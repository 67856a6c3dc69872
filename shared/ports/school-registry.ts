/** The schools that have students, so that the schedule can reach each school's parents. */
export interface SchoolRegistry {
  /** Records schools (idempotent); called once per stream batch with the schools seen in it. */
  remember(schoolIds: Iterable<string>): Promise<void>;

  /** Every school recorded so far. */
  list(): Promise<string[]>;
}
