/**
 * A plain-text table: the first column and those in `textColumns` left-aligned, the others
 * right-aligned (they hold figures).
 */
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  textColumns: readonly number[] = [],
): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === 0 || textColumns.includes(column)
          ? cell.padEnd(widths[column] ?? 0)
          : cell.padStart(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** `digits` decimals, thousands separated. */
export function figure(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A ratio to its floor, e.g. `2.41×`. */
export function ratio(value: number, floor: number): string {
  return floor === 0 ? '—' : `${(value / floor).toFixed(2)}×`;
}

/** Dollars with enough decimals to show small per-thousand figures. */
export function usd(value: number): string {
  return `$${value < 0.01 ? value.toFixed(5) : value.toFixed(4)}`;
}
