/**
 * POST /mysfits/{mysfitId}/like: the like record and the count change in one transaction; a repeat changes nothing.
 * The cases are shared with unlikeMysfit (tests/support/likeCases.ts); what makes this a like is stated here.
 */
import { handler } from '../../functions/likeMysfit';
import { ACTIVITY_TABLE, ISO_TIMESTAMP, MYSFIT_ID } from '../support/fixtures';
import { describeLikeCases, type LikeDirection } from '../support/likeCases';
import { mockDocumentClient } from '../support/routeCases';

// No waiting between transaction retries.
const ddb = mockDocumentClient({ instantRetries: true });

/** A like: the user's record only if absent, and +1 only on a mysfit that exists. */
const LIKE: LikeDirection = {
  verb: 'like',
  first: 'a first like',
  firstDoes: 'writes the record and +1',
  repeat: 'a repeat like (the record exists)',
  liked: true,
  recordWrite: (userId) => ({
    Put: {
      TableName: ACTIVITY_TABLE,
      Item: { UserId: userId, Activity: `LIKE#${MYSFIT_ID}`, Kind: 'LIKE', MysfitId: MYSFIT_ID, CreatedAt: expect.stringMatching(ISO_TIMESTAMP) },
      ConditionExpression: 'attribute_not_exists(UserId)',
    },
  }),
  count: { placeholder: ':one', delta: 1 },
};

describeLikeCases({ name: 'likeMysfit', handler, ddb }, LIKE);
