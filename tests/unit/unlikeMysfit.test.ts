/**
 * DELETE /mysfits/{mysfitId}/like: the like record goes and the count drops in one transaction; a repeat changes nothing.
 * The cases are shared with likeMysfit (tests/support/likeCases.ts); what makes this an unlike is stated here.
 */
import { handler } from '../../functions/unlikeMysfit';
import { ACTIVITY_TABLE, MYSFIT_ID } from '../support/fixtures';
import { describeLikeCases, type LikeDirection } from '../support/likeCases';
import { mockDocumentClient } from '../support/routeCases';

// No waiting between transaction retries.
const ddb = mockDocumentClient({ instantRetries: true });

/** An unlike: the user's record only if present, and -1 only on a mysfit that exists. */
const UNLIKE: LikeDirection = {
  verb: 'unlike',
  first: 'an unlike',
  firstDoes: 'deletes the record and -1',
  repeat: 'a repeat unlike (no record)',
  liked: false,
  recordWrite: (userId) => ({
    Delete: { TableName: ACTIVITY_TABLE, Key: { UserId: userId, Activity: `LIKE#${MYSFIT_ID}` }, ConditionExpression: 'attribute_exists(UserId)' },
  }),
  count: { placeholder: ':minusOne', delta: -1 },
};

describeLikeCases({ name: 'unlikeMysfit', handler, ddb }, UNLIKE);
