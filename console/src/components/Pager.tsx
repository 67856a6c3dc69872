import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

/**
 * Cursor paging: the cursor of each page visited so far, so "Previous" goes back without reading
 * from the start again (the API's cursors only go forward).
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return {
    cursor: cursors.at(-1) ?? null,
    number: cursors.length,
    back: () => setCursors((all) => (all.length > 1 ? all.slice(0, -1) : all)),
    forward: (next: string) => setCursors((all) => [...all, next]),
    restart: () => setCursors([null]),
  };
}

export type CursorPages = ReturnType<typeof useCursorPages>;

/** Previous / Next for {@link useCursorPages}, with room for more controls (page size). */
export function Pager(props: {
  label: string;
  pages: CursorPages;
  nextCursor: string | null | undefined;
  children?: ComponentChildren;
}) {
  const { pages, nextCursor } = props;
  return (
    <nav class="pager" aria-label={props.label}>
      <button type="button" disabled={pages.number === 1} onClick={pages.back}>
        Previous
      </button>
      <span>Page {pages.number}</span>
      <button type="button" disabled={!nextCursor} onClick={() => nextCursor && pages.forward(nextCursor)}>
        Next
      </button>
      {props.children}
    </nav>
  );
}
