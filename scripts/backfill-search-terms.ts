/**
 * `npm run backfill-search-terms -- --table <TableName>`: once, after deploying the version in
 * which parent search reads the search index. Parents written before it have no term items, and a
 * search would not find them (the parent sync writes only the terms a parent's write adds); this
 * indexes every parent (see
 * `backfillSearchTerms`), and can be run again safely, even while the parent sync runs. AWS
 * credentials and region come from the environment, as for the AWS CLI; the table is the stack's
 * `TableName` output.
 */
import { createDocumentClient } from '../shared/adapters/dynamo-client';
import { backfillSearchTerms } from '../shared/adapters/search-index';
import { runOneOffCommand } from './one-off-command';

runOneOffCommand(
  {
    command: 'backfill-search-terms',
    options: ['table'],
    usage:
      'Usage: npm run backfill-search-terms -- --table <TableName>   (AWS credentials from the environment)',
  },
  async ({ table }) => {
    const documents = createDocumentClient();
    try {
      const { parents } = await backfillSearchTerms(documents, table, (count) =>
        console.error(`Parents indexed so far: ${count}`),
      );
      console.error(`Parents indexed: ${parents} (each parent's current terms written).`);
    } finally {
      documents.destroy();
    }
  },
);
