import { join } from 'node:path';

/**
 * Makes `ChangeMessageVisibility` with a timeout of 0 safe in fauxqs 2.4.1's SQLite store.
 *
 * fauxqs marks such a message visible again by writing NULL into `approximate_receive_count`, a
 * NOT NULL column: the statement fails after the message has left the in-flight set, so it
 * vanishes until the next restart (and the caller gets an error). This trigger turns that write
 * into what was meant: the message is no longer in flight and keeps its receive count. Installing
 * it twice is harmless; a fauxqs upgrade that renames the table or columns makes it fail loudly.
 */
export function installVisibilityFix(dataDir: string): void {
  // Not a static import: fauxqs loads node:sqlite first, quietly (see loadFauxqs).
  const { DatabaseSync } = process.getBuiltinModule('node:sqlite');
  const db = new DatabaseSync(join(dataDir, 'fauxqs.db'));
  try {
    db.exec(`
      CREATE TRIGGER IF NOT EXISTS keep_receive_count_on_release
      BEFORE UPDATE OF approximate_receive_count ON sqs_messages
      WHEN NEW.approximate_receive_count IS NULL
      BEGIN
        UPDATE sqs_messages SET receipt_handle = NULL, visibility_deadline = NULL
          WHERE message_id = NEW.message_id;
        SELECT RAISE(IGNORE);
      END`);
  } finally {
    db.close();
  }
}
