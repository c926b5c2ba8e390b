/** Runs a DynamoDB transaction, retrying the conflicts DynamoDB reports when transactions touch one item at once. */
import { backOff } from './backoff';
import type { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { dynamodb } from './dynamodb';
import { isThrottledCancellation, ServiceUnavailable } from './errors';

const MAX_ATTEMPTS = 10;
const BASE_DELAY_MS = 10;
const MAX_DELAY_MS = 400;

/** Why one item of a cancelled transaction failed, with the item as it was when its condition failed. */
export interface CancellationReason {
  code: string;
  item?: Record<string, unknown>;
}

export type TransactionResult = { committed: true } | { committed: false; reasons: CancellationReason[] };

function reasonsOf(error: TransactionCanceledException): CancellationReason[] {
  return (error.CancellationReasons ?? []).map((reason) => ({
    code: reason.Code ?? 'None',
    item: reason.Item ? unmarshall(reason.Item) : undefined,
  }));
}

/**
 * Commits the transaction, or returns why its conditions failed (one round trip when nothing conflicts).
 * A conflict with a concurrent transaction is retried with jittered exponential backoff.
 */
export async function transactWrite(input: TransactWriteCommandInput): Promise<TransactionResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      await dynamodb.send(new TransactWriteCommand(input));
      return { committed: true };
    } catch (error) {
      // Matched by name: instanceof breaks when a bundle holds two copies of the client.
      if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') throw error;
      const reasons = reasonsOf(error as TransactionCanceledException);
      // A throttled transaction: the database is busy, so a 503 like any throttle.
      if (reasons.some((r) => isThrottledCancellation(r.code))) throw new ServiceUnavailable();
      const conflicted = reasons.some((r) => r.code === 'TransactionConflict');
      if (!conflicted) return { committed: false, reasons };
      if (attempt >= MAX_ATTEMPTS) throw new ServiceUnavailable('Too many concurrent updates; try again');
      await backOff(attempt, { baseMs: BASE_DELAY_MS, capMs: MAX_DELAY_MS, jitter: true });
    }
  }
}
