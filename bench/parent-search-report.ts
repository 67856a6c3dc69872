import type { SearchScale } from './parent-search-scale';
import { figure, table } from './table';

/** The growth of a figure from the smallest school measured to the largest, e.g. `1.08×`. */
const growth = (small: number, large: number) => (small === 0 ? '—' : `${(large / small).toFixed(2)}×`);

export function searchScaleSection(scale: SearchScale): string {
  const [smallest, largest] = [scale.sizes[0] ?? 0, scale.sizes.at(-1) ?? 0];
  const keys = [...new Set(scale.measurements.map((m) => `${m.search}\u0000${m.call}`))];
  const rows = keys.map((key) => {
    const [search = '', call = ''] = key.split('\u0000');
    const at = (size: number) =>
      scale.measurements.find((m) => m.search === search && m.call === call && m.parents === size);
    const [small, large] = [at(smallest), at(largest)];
    return [
      search,
      call,
      ...scale.sizes.flatMap((size) => {
        const measured = at(size);
        return measured
          ? [figure(measured.p95Ms, 0), figure(measured.readUnits, 1), figure(measured.found)]
          : ['—', '—', '—'];
      }),
      small && large ? growth(small.p95Ms, large.p95Ms) : '—',
      small && large ? growth(small.readUnits, large.readUnits) : '—',
    ];
  });
  const sizeLabel = (size: number) => `${figure(size / 1000, size % 1000 === 0 ? 0 : 1)}k`;
  return [
    `8. Parent search and counts at a school's size: one school of N invented parents seeded in DynamoDB Local,`,
    `   each search ${scale.repeats} times through the parent store and counts service the API calls (list: one`,
    `   page of ${scale.pageSize}). p95 ms (noisy: shared machine), RRU per call as DynamoDB reports them, and what`,
    `   was found (list: parents on the page; counts: total). Growth: ${sizeLabel(largest)} over ${sizeLabel(smallest)} (${growth(smallest, largest)} the parents).`,
    table(
      [
        'search',
        'call',
        ...scale.sizes.flatMap((size) => [`p95 ms ${sizeLabel(size)}`, `RRU ${sizeLabel(size)}`, `found`]),
        'p95 growth',
        'RRU growth',
      ],
      rows,
      [1],
    ),
  ].join('\n');
}
