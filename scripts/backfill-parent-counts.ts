/**
 * `npm run backfill-parent-counts -- --table <TableName>`: once, after deploying the version in
 * which `GET /parents/counts` reads the school's counters. Parents written before it are not
 * counted until their next write; this counts every parent (see `backfillParentCounts`), and can
 * be run again safely, even while the parent sync runs. AWS credentials and region come from the environment,
 * as for the AWS CLI; the table is the stack's `TableName` output.
 */
import { createDocumentClient } from '../shared/adapters/dynamo-client';
import { backfillParentCounts } from '../shared/adapters/parent-counters';
import { runOneOffCommand } from './one-off-command';

runOneOffCommand(
  {
    command: 'backfill-parent-counts',
    options: ['table'],
    usage:
      'Usage: npm run backfill-parent-counts -- --table <TableName>   (AWS credentials from the environment)',
  },
  async ({ table }) => {
    const documents = createDocumentClient();
    try {
      const { parents } = await backfillParentCounts(documents, table, (count) =>
        console.error(`Parents checked so far: ${count}`),
      );
      console.error(`Parents checked: ${parents} (counted again only where the counters differed).`);
    } finally {
      documents.destroy();
    }
  },
);
