/**
 * serverless-offline prints a table of its routes when it starts, with a Lambda invocation address under each that
 * does not answer (it names the function by its key on the API port), wrapped at 80 columns. It has no setting to
 * leave it out, and it prints it with console.log: this holds back that one table while the system starts; the
 * banner (banner.ts) lists the routes and the Lambda endpoint instead. Written for serverless-offline 14.8
 * (src/utils/logRoutes.js); tests/unit/local/offlineRouteTable.test.ts says when an upgrade changes it.
 */
export const INVOCATIONS_PATH = '/2015-03-31/functions/';

/** Whether console.log's arguments are serverless-offline's route table. */
export const isOfflineRouteTable = (args: unknown[]): boolean =>
  args.length === 1 && typeof args[0] === 'string' && args[0].includes(INVOCATIONS_PATH) && args[0].includes('│');

/** Holds back the route table from now on; the function returned puts console.log back. */
export function hideOfflineRouteTable(): () => void {
  const log = console.log;
  console.log = (...args: unknown[]) => {
    if (!isOfflineRouteTable(args)) log(...args);
  };
  return () => {
    console.log = log;
  };
}
