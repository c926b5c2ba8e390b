/** The structured JSON logger (Powertools for AWS Lambda) shared by every function. */
import { Logger } from '@aws-lambda-powertools/logger';
import { mapErrorStack } from './stackTraces';

export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'mysfits',
  // An error's trace names our TypeScript files and lines (shared/stackTraces.ts), read from the map only now.
  jsonReplacerFn: (_key, value) => {
    if (value instanceof Error) mapErrorStack(value);
    return value;
  },
});
