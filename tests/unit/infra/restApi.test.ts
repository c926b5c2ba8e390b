/**
 * infra/rest-api.js refuses a cache configuration it cannot honour, naming the setting, before anything is deployed:
 * run on a small template shaped as the framework compiles one (the real template is tested in tests/infra).
 */
import ApiStageSettings from '../../../infra/rest-api';

interface Method {
  Type: 'AWS::ApiGateway::Method';
  Properties: Record<string, unknown>;
}

const method = (httpMethod: string, extra: Record<string, unknown> = {}): Method => ({
  Type: 'AWS::ApiGateway::Method',
  Properties: { HttpMethod: httpMethod, AuthorizationType: 'NONE', Integration: { Type: 'AWS_PROXY' }, ...extra },
});

/** A plugin over a template with GET /mysfits, GET /mysfits/{mysfitId} and POST /mysfits/{mysfitId}/like. */
function pluginWith(apiCache: unknown, overrides: Record<string, Method> = {}) {
  const resources: Record<string, unknown> = {
    ApiGatewayDeployment1: {
      Type: 'AWS::ApiGateway::Deployment',
      Properties: { RestApiId: { Ref: 'ApiGatewayRestApi' }, StageName: 'prod' },
    },
    ApiGatewayMethodMysfitsGet: method('GET', { RequestParameters: { 'method.request.querystring.limit': false } }),
    ApiGatewayMethodMysfitsMysfitidVarGet: method('GET', { RequestParameters: { 'method.request.path.mysfitId': true } }),
    ApiGatewayMethodMysfitsMysfitidVarLikePost: method('POST', { AuthorizationType: 'COGNITO_USER_POOLS' }),
    ...overrides,
  };
  const naming = {
    normalizePath: (path: string) =>
      path
        .split('/')
        .map((part) =>
          part.startsWith('{')
            ? `${part[1]?.toUpperCase()}${part.slice(2, -1).toLowerCase()}Var`
            : `${part[0]?.toUpperCase()}${part.slice(1)}`,
        )
        .join(''),
    getMethodLogicalId: (resourceId: string, httpMethod: string) =>
      `ApiGatewayMethod${resourceId}${httpMethod[0]?.toUpperCase()}${httpMethod.slice(1)}`,
  };
  const serverless = {
    service: {
      custom: { corsOrigin: '*', apiThrottle: { rateLimit: 10, burstLimit: 20 }, apiCache },
      provider: { logRetentionInDays: 14 as number | undefined, compiledCloudFormationTemplate: { Resources: resources } },
    },
    getProvider: () => ({ naming }),
  };
  const plugin = new ApiStageSettings(serverless);
  return {
    finish: () => plugin.finishStage(),
    provider: serverless.service.provider as { logRetentionInDays?: number },
    resources: resources as Record<string, { Properties: Record<string, unknown> }>,
  };
}

const CACHE = { ttlSeconds: 5, clusterSize: '0.5', routes: ['GET /mysfits', 'GET /mysfits/{mysfitId}'] };

test('a TTL of 0 leaves the stage without a cache, and every method as it was', () => {
  // Arrange
  const { finish, resources } = pluginWith({ ...CACHE, ttlSeconds: 0 });
  // Act
  finish();
  // Assert
  expect(resources.ApiGatewayStage?.Properties.CacheClusterEnabled).toBeUndefined();
  expect(JSON.stringify(resources)).not.toContain('Caching');
  expect(JSON.stringify(resources)).not.toContain('CacheKeyParameters');
});

test('the listed reads are cached, keyed by their declared parameters', () => {
  // Arrange
  const { finish, resources } = pluginWith(CACHE);
  // Act
  finish();
  // Assert
  expect(resources.ApiGatewayMethodMysfitsGet?.Properties.Integration).toMatchObject({
    CacheKeyParameters: ['method.request.querystring.limit'],
  });
  expect(resources.ApiGatewayStage?.Properties).toMatchObject({ CacheClusterEnabled: true, CacheClusterSize: '0.5' });
});

test.each([
  {
    setting: 'a negative TTL',
    apiCache: { ...CACHE, ttlSeconds: -1 },
    message: /ttlSeconds must be a whole number of seconds from 0 to 3600, got -1/,
  },
  { setting: 'a TTL over an hour', apiCache: { ...CACHE, ttlSeconds: 3601 }, message: /ttlSeconds .* got 3601/ },
  { setting: 'a TTL that is not a number', apiCache: { ...CACHE, ttlSeconds: 'soon' }, message: /ttlSeconds .* got "soon"/ },
  {
    setting: 'a cache size API Gateway does not offer',
    apiCache: { ...CACHE, clusterSize: '1' },
    message: /clusterSize must be one of 0\.5, 1\.6/,
  },
  { setting: 'no routes', apiCache: { ...CACHE, routes: [] }, message: /lists no route/ },
  {
    setting: 'a route that does not exist',
    apiCache: { ...CACHE, routes: ['GET /nowhere'] },
    message: /names GET \/nowhere, which is not a route/,
  },
  { setting: 'a route not written "GET /path"', apiCache: { ...CACHE, routes: ['/mysfits'] }, message: /written "GET \/path"/ },
  {
    setting: 'a route that is not a GET (a like)',
    apiCache: { ...CACHE, routes: ['POST /mysfits/{mysfitId}/like'] },
    message: /only GET routes can be cached, not POST/,
  },
])('$setting is refused with a message naming it', ({ apiCache, message }) => {
  // Arrange
  const { finish } = pluginWith(apiCache);
  // Act / Assert
  expect(finish).toThrow(message);
});

test('a signed-in GET is refused: its answer belongs to one person', () => {
  // Arrange
  const { finish } = pluginWith(
    { ...CACHE, routes: ['GET /mysfits'] },
    { ApiGatewayMethodMysfitsGet: method('GET', { AuthorizationType: 'COGNITO_USER_POOLS' }) },
  );
  // Act / Assert
  expect(finish).toThrow(/GET \/mysfits has an authorizer: a signed-in answer is never cached/);
});

test('a cached route that declares a header is refused: no header (above all Authorization) goes into a cache key', () => {
  // Arrange
  const { finish } = pluginWith(
    { ...CACHE, routes: ['GET /mysfits'] },
    { ApiGatewayMethodMysfitsGet: method('GET', { RequestParameters: { 'method.request.header.Authorization': false } }) },
  );
  // Act / Assert
  expect(finish).toThrow(/declares a header/);
});

test('a stage without a log retention is refused: its access log group would keep everything forever', () => {
  // Arrange
  const plugin = pluginWith(CACHE);
  plugin.provider.logRetentionInDays = undefined;
  // Act / Assert
  expect(plugin.finish).toThrow(/provider\.logRetentionInDays must be set/);
});
