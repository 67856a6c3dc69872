import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';

/** How long a pacing counter is kept after its second has passed (TTL, seconds). */
const COUNTER_TTL_SECONDS = 120;

/**
 * Paces sends against a rate shared by every concurrent invocation: each second of each key (a
 * channel, Cognito's admin API) has a counter in the table, and a sender reserves slots in it
 * with one atomic ADD for a whole batch. Slot `k` of a second goes at `k / rate` into it, so the
 * sends of all invocations together never exceed the rate, and a batch that does not fit takes
 * slots in the seconds after. An ADD never conflicts: DynamoDB serialises updates of one item.
 */
export class SendPacer {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Reserves `count` sends under `key` at `perSecond`, from the second of `now` on and before
   * `deadline` (epoch ms). Returns the time each reserved send may go (ascending); fewer than
   * `count` when the rest would not fit before the deadline.
   */
  async reserve(
    key: string,
    count: number,
    perSecond: number,
    now: number,
    deadline: number,
  ): Promise<number[]> {
    const times: number[] = [];
    let second = Math.floor(now / 1000);
    while (times.length < count && second * 1000 < deadline) {
      const wanted = count - times.length;
      const { Attributes } = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: `PACE#${key}`, sk: String(second) },
          UpdateExpression: 'ADD reserved :wanted SET expires_at = :expires',
          ExpressionAttributeValues: { ':wanted': wanted, ':expires': second + COUNTER_TTL_SECONDS },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      const first = Number(Attributes?.reserved ?? wanted) - wanted;
      times.push(...slotTimes({ second, first, wanted, perSecond, now, deadline }));
      second++;
    }
    return times;
  }
}

/**
 * The times of the slots `first` to `first + wanted - 1` of `second` that exist (fewer than
 * `perSecond`) and come before `deadline`: slot `k` goes `k / perSecond` into the second, or now
 * if that has passed.
 */
export function slotTimes(reservation: {
  second: number;
  first: number;
  wanted: number;
  perSecond: number;
  now: number;
  deadline: number;
}): number[] {
  const { second, first, wanted, perSecond, now, deadline } = reservation;
  const times: number[] = [];
  for (let slot = first; slot < Math.min(first + wanted, perSecond); slot++) {
    const at = second * 1000 + Math.floor((slot * 1000) / perSecond);
    if (at < deadline) times.push(Math.max(at, now));
  }
  return times;
}
