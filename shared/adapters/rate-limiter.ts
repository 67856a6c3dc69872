import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RateDecision, RateLimiter } from '../ports/rate-limiter';

/**
 * Fixed-window counters in the table: one atomic ADD per request, expired by TTL. Good enough to
 * stop floods (a parent re-invited many times a minute); the stage throttle guards the API as a whole.
 */
export class DynamoRateLimiter implements RateLimiter {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async hit(
    key: string,
    limit: number,
    windowSeconds: number,
    now: Date = new Date(),
  ): Promise<RateDecision> {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const windowStart = nowSeconds - (nowSeconds % windowSeconds);
    const { Attributes } = await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: `RATE#${key}`, sk: String(windowStart) },
        UpdateExpression: 'ADD hits :one SET expires_at = :expires',
        ExpressionAttributeValues: { ':one': 1, ':expires': windowStart + 2 * windowSeconds },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    if (Number(Attributes?.hits ?? 0) <= limit) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, windowStart + windowSeconds - nowSeconds) };
  }
}
