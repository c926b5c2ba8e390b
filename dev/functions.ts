/**
 * The functions and routes of serverless.yml as the Framework resolves them, with the logical ids the Framework
 * gives them (its own naming module): the one list that the tests and the benchmarks take theirs from, so that a
 * new route needs no list edited anywhere.
 */
import { resolvedServiceSync, routes, type ResolvedService, type Route } from './service';

interface Naming {
  getNormalizedFunctionName(functionKey: string): string;
  getLambdaLogicalId(functionKey: string): string;
  getMethodLogicalId(resourceId: string, method: string): string;
  normalizePath(path: string): string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the Framework's naming rules, shipped without types
const naming = require('serverless/lib/plugins/aws/lib/naming') as Naming;

export const SERVICE: ResolvedService = resolvedServiceSync('local');

/** Every function, by its key in serverless.yml. */
export const FUNCTIONS: readonly string[] = Object.keys(SERVICE.functions);

export interface RouteOf extends Route {
  /** `POST /mysfits/{mysfitId}/like`: how the logs and the tests name it. */
  route: string;
  /** The Framework's logical id of its API Gateway method. */
  methodLogicalId: string;
}

export const ROUTES: readonly RouteOf[] = routes(SERVICE).map((r) => ({
  ...r,
  route: `${r.method} ${r.path}`,
  methodLogicalId: naming.getMethodLogicalId(naming.normalizePath(r.path.replace(/^\//, '')), r.method.toLowerCase()),
}));

/** The functions API Gateway invokes (their sample events are REST proxy events). */
export const HTTP_FUNCTIONS: readonly string[] = FUNCTIONS.filter((key) => ROUTES.some((r) => r.functionKey === key));

/** The Framework's logical-id prefix of a function: listMysfits -> ListMysfits (ListMysfitsLambdaFunction, ...). */
export const logicalIdPrefix = (functionKey: string): string => naming.getNormalizedFunctionName(functionKey);

/** The actions a function's role allows, from its iamRoleStatements. */
export function actionsOf(functionKey: string): string[] {
  const statements =
    (SERVICE.functions[functionKey] as { iamRoleStatements?: Array<{ Action: string | string[] }> } | undefined)?.iamRoleStatements ?? [];
  return statements.flatMap((statement) => [statement.Action].flat());
}
