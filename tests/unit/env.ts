// Settings every function reads at cold start (tests/support/settings.ts); unit tests mock DynamoDB and Firehose, so the names are only labels.
import { UNIT_ENVIRONMENT } from '../support/settings';

Object.assign(process.env, UNIT_ENVIRONMENT);
