/**
 * `npm run backfill-schedules -- --table <TableName>`: once, after deploying the version in which
 * each school's schedule runs at its own time. Settings saved before it have no schedule item, and
 * their schools would run on the deployment's defaults until they save again; this writes the
 * missing items from the saved documents (see `backfillScheduleItems`), and can be run again
 * safely. AWS credentials and region come from the environment, as for the AWS CLI; the table is
 * the stack's `TableName` output.
 */
import { createDocumentClient } from '../shared/adapters/dynamo-client';
import { backfillScheduleItems } from '../shared/adapters/school-schedules';
import { runOneOffCommand } from './one-off-command';

runOneOffCommand(
  {
    command: 'backfill-schedules',
    options: ['table'],
    usage:
      'Usage: npm run backfill-schedules -- --table <TableName>   (AWS credentials from the environment)',
  },
  async ({ table }) => {
    const documents = createDocumentClient();
    try {
      const { written, present } = await backfillScheduleItems(documents, table);
      console.error(`Schedule items written: ${written}; already there: ${present}.`);
    } finally {
      documents.destroy();
    }
  },
);
