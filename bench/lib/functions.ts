/**
 * The functions the benchmarks run: the HTTP functions of serverless.yml whose only service is DynamoDB (each has a
 * sample event in events/), as the resolved config says; and the project root.
 */
import { actionsOf, HTTP_FUNCTIONS } from '../../dev/functions';
import { PROJECT_ROOT } from '../../dev/paths';

export const ROOT = PROJECT_ROOT;

export const FUNCTIONS: readonly string[] = HTTP_FUNCTIONS.filter(
  (key) => actionsOf(key).length > 0 && actionsOf(key).every((action) => action.startsWith('dynamodb:')),
);

export type FunctionName = string;
