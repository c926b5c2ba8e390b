/** The structured JSON logger (Powertools for AWS Lambda) shared by every function. */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'mysfits' });
