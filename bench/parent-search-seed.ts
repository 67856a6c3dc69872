import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PROFILE, parentPartition, parentsByInviteStatus, parentsOfSchool } from '../shared/adapters/keys';
import type { InviteStatus } from '../shared/domain/parent';
import { searchableName } from '../shared/domain/parent-search';

/**
 * One school of invented parents for the search benchmark, written straight to the table: the
 * profile items the parent sync writes (link, then names) with the invite summary the invite flow
 * leaves, so the reads pay for items of the real shape and size. Child links live in the parent's
 * own partition and no listing reads them, so they are left out.
 */

const FIRST_NAMES = [
  'Abel',
  'Adina',
  'Bruno',
  'Calla',
  'Dorian',
  'Edda',
  'Fabian',
  'Greta',
  'Hugo',
  'Ilse',
  'Jonas',
  'Kira',
  'Lukas',
  'Mara',
  'Marco',
  'Marek',
  'Marta',
  'Nils',
  'Olga',
  'Pavel',
  'Quinn',
  'Rosa',
  'Sven',
  'Tilda',
  'Umar',
  'Vera',
  'Wim',
  'Xenia',
  'Yusuf',
  'Zora',
  'Anouk',
  'Bodil',
  'Cyrus',
  'Dagny',
  'Emil',
  'Frida',
  'Goran',
  'Hedda',
  'Ivo',
  'José',
];
const SURNAMES = [
  'Álvarez',
  'Brandt',
  'Castell',
  'Dekker',
  'Eklund',
  'Falk',
  'Gruber',
  'Halvor',
  'Ibsen',
  'Jansen',
  'Kowal',
  'Lindqvist',
  'Moreau',
  'Novak',
  'Orsini',
  'Petrov',
  'Quist',
  'Rinaldi',
  'Sauer',
  'Tamm',
  'Ulrich',
  'Voss',
  'Wendt',
  'Yilmaz',
  'Zeller',
  'Aalto',
  'Berger',
  'Costa',
  'Dahl',
  'Engel',
  'Fischer',
  'Greco',
  'Haas',
  'Iversen',
  'Jovanović',
  'Krüger',
  'Lund',
  'Meyer',
  'Nordin',
  'Ott',
  'Pohl',
  'Roth',
  'Sand',
  'Thorsen',
  'Varga',
  'Weiss',
  'Vidal',
  'Kaya',
  'Lorenz',
  'Mertens',
];

/** The one parent every search below is meant to find rarely: a full name, an email and a phone. */
export const RARE_PARENT = {
  father_name: 'Ottoline Wexcombe',
  mother_name: null,
  email: 'o.wexcombe@example.org',
};

export interface SeededParent {
  readonly id: string;
  readonly father_name: string | null;
  readonly mother_name: string | null;
  readonly parents_contact: string;
  readonly parents_email: string;
  readonly status: InviteStatus;
  readonly activated: boolean;
}

/** Deterministic: the same N gives the same school on every run. */
export function seededParent(index: number, count: number): SeededParent {
  const pick = <T>(list: readonly T[], salt: number) =>
    list[((index * 2_654_435_761 + salt * 40_503) % list.length) >>> 0] as T;
  const surname = pick(SURNAMES, 1);
  const kind = index % 5;
  const rare = index === Math.floor(count / 2);
  const father = rare ? RARE_PARENT.father_name : kind < 4 ? `${pick(FIRST_NAMES, 2)} ${surname}` : null;
  const mother = rare ? null : kind > 0 ? `${pick(FIRST_NAMES, 3)} ${surname}` : null;
  // Seven digits a multiplication coprime to 10^7 spreads: unique within the school.
  const line = String((index * 7_919 + 12_345) % 10_000_000).padStart(7, '0');
  const statusRoll = index % 20;
  const status: InviteStatus =
    statusRoll < 11 ? 'not_invited' : statusRoll < 16 ? 'invited' : statusRoll < 19 ? 'delivered' : 'failed';
  return {
    id: `P${String(index).padStart(8, '0')}`,
    father_name: father,
    mother_name: mother,
    parents_contact: `+1202${line}`,
    parents_email: rare
      ? RARE_PARENT.email
      : `${searchableName(surname).replace(/[^a-z]/g, '')}.${index}@example.net`,
    status,
    activated: status === 'delivered' && index % 3 === 0,
  };
}

/** The profile item as the parent sync and the invite flow leave it. */
export function parentProfileItem(schoolId: string, parent: SeededParent): Record<string, unknown> {
  const at = '2026-09-01T08:00:00.000Z';
  const invited = parent.status !== 'not_invited';
  const names = Object.entries({ father_name: parent.father_name, mother_name: parent.mother_name }).filter(
    (entry): entry is [string, string] => entry[1] !== null,
  );
  return {
    pk: parentPartition(schoolId, parent.id),
    sk: PROFILE,
    entity: 'parent',
    id: parent.id,
    school_id: schoolId,
    parents_contact: parent.parents_contact,
    parents_email: parent.parents_email,
    gsi1pk: parentsOfSchool(schoolId),
    gsi1sk: parent.id,
    gsi2pk: parentsByInviteStatus(schoolId, parent.status),
    gsi2sk: parent.id,
    invite_status: parent.status,
    created_at: at,
    updated_at: at,
    children_count: 1,
    ...Object.fromEntries(
      names.flatMap(([name, value]) => [
        [name, value],
        [`${name}_search`, searchableName(value)],
      ]),
    ),
    names_at: at,
    ...(invited
      ? {
          invite_id: `01JBENCH${parent.id}`,
          invite_channel: 'email',
          invite_at: at,
          invite_error: parent.status === 'failed' ? 'Mailbox unavailable' : null,
          username: `${parent.id.toLowerCase()}@parents.example`,
          credentials_created_at: at,
          failed_attempts: parent.status === 'failed' ? 1 : 0,
        }
      : {}),
    ...(parent.activated ? { activated_at: at } : {}),
  };
}

/** Writes the items 25 to a request, several requests at once, retrying what DynamoDB leaves unprocessed. */
export async function writeItems(
  documents: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Record<string, unknown>[],
  concurrency = 4,
): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let start = 0; start < items.length; start += 25) batches.push(items.slice(start, start + 25));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let requests = (batches[next++] ?? []).map((Item) => ({ PutRequest: { Item } }));
      while (requests.length > 0) {
        const result = await documents.send(
          new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
        );
        requests = (result.UnprocessedItems?.[tableName] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
