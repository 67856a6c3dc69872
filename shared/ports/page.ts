/** One page of a listing, and the cursor of the next one (`null` after the last). */
export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}
