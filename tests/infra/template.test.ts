/**
 * The prod CloudFormation template as `serverless package --stage prod` builds it, offline and with no AWS credentials:
 * who may call what, least-privilege roles, tables, errors as JSON, throttling, the legacy switch, the website's private
 * bucket behind CloudFront, and the one origin CORS allows.
 */
import { FUNCTIONS as ALL_FUNCTIONS, logicalIdPrefix, ROUTES as ALL_ROUTES } from '../../dev/functions';
import { resolvedServiceSync, stageParams } from '../../dev/service';
import {
  chosen,
  dependsOn,
  evaluateCondition,
  onlyResourceOfType,
  packageProd,
  properties,
  resource,
  resourcesOfType,
  textOf,
  type Packaged,
  type Template,
  withoutXRay,
  XRAY_STATEMENT,
} from './package';

const NLB_ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/legacy/0123456789abcdef';
const NLB_DNS = 'legacy-0123456789abcdef.elb.us-east-1.amazonaws.com';
const CUSTOM_ORIGIN = 'https://www.example.com';

const PROD = stageParams(resolvedServiceSync('prod'), 'prod');
const MYSFITS_TABLE = String(PROD.mysfitsTableName);
const ACTIVITY_TABLE = String(PROD.activityTableName);

let plain: Packaged;
let withLegacyNlb: Packaged;
let withCustomOrigin: Packaged;
let template: Template;

beforeAll(async () => {
  // Three packagings of ~10 s each, side by side.
  [plain, withLegacyNlb, withCustomOrigin] = await Promise.all([
    packageProd(),
    packageProd({ legacyNlbArn: NLB_ARN, legacyNlbDnsName: NLB_DNS }),
    packageProd({ corsOrigin: CUSTOM_ORIGIN }),
  ]);
  template = plain.template;
}, 120_000);

// ------------------------------------------------------------------ who may call what

// Every function and route of serverless.yml, as the Framework resolves them (a new route is tested by being there).
const FUNCTIONS = ALL_FUNCTIONS;
type FunctionName = string;
const prefix = logicalIdPrefix;
const ROUTES = ALL_ROUTES.map((r) => ({
  route: r.route,
  method: r.methodLogicalId,
  httpMethod: r.method,
  signedIn: r.authorized,
  functionKey: r.functionKey,
}));

describe('the Cognito authorizer', () => {
  test('checks ID tokens from the Authorization header against the user pool', () => {
    // Arrange
    const [, authorizer] = onlyResourceOfType(template, 'AWS::ApiGateway::Authorizer');
    // Act
    const props = authorizer.Properties ?? {};
    // Assert
    expect(props.Type).toBe('COGNITO_USER_POOLS');
    // The stack's own pool, unless one is adopted (userPoolId: see the lifecycle).
    expect(chosen(template, props.ProviderARNs)).toEqual([{ 'Fn::GetAtt': ['CognitoUserPool', 'Arn'] }]);
    expect(props.IdentitySource).toBe('method.request.header.Authorization');
    expect(props.RestApiId).toEqual({ Ref: 'ApiGatewayRestApi' });
  });

  test('caches no answer: a token is refused as soon as it expires, not up to a cached TTL later', () => {
    const [, authorizer] = onlyResourceOfType(template, 'AWS::ApiGateway::Authorizer');
    expect(authorizer.Properties?.AuthorizerResultTtlInSeconds).toBe(0);
  });

  test('every route but the CORS preflights is in the table below, so a new route needs a decision', () => {
    // Arrange
    const methods = resourcesOfType(template, 'AWS::ApiGateway::Method')
      .filter(([, method]) => method.Properties?.HttpMethod !== 'OPTIONS')
      .map(([id]) => id);
    // Act / Assert
    expect(methods.sort()).toEqual(ROUTES.map((r) => r.method).sort());
  });

  // The routes anyone may call; every other route needs a signed-in user (a new route is signed-in only unless added here).
  const PUBLIC_ROUTES = ['GET /mysfits', 'GET /mysfits/{mysfitId}', 'POST /clicks'];

  test('only the public routes are open: every other one has the Cognito authorizer in serverless.yml', () => {
    expect(
      ROUTES.filter((r) => !r.signedIn)
        .map((r) => r.route)
        .sort(),
    ).toEqual([...PUBLIC_ROUTES].sort());
  });

  test.each(ROUTES)('$route is in the template and runs its function ($functionKey)', ({ method, functionKey }) => {
    // A GetAtt of the function's Arn, or a Sub naming it (the list route's, inside the legacy switch's Fn::If).
    const integration = JSON.stringify(at(properties(template, method), ['Integration']));
    expect(integration).toMatch(
      new RegExp(`"${prefix(functionKey)}LambdaFunction","Arn"|\\$\\{${prefix(functionKey)}LambdaFunction\\.Arn\\}`),
    );
  });

  test.each(ROUTES)('$route: signed in only = $signedIn', ({ method, httpMethod, signedIn }) => {
    // Arrange
    const [authorizerId] = onlyResourceOfType(template, 'AWS::ApiGateway::Authorizer');
    // Act
    const props = properties(template, method);
    // Assert
    expect(props.HttpMethod).toBe(httpMethod);
    if (signedIn) {
      expect(props.AuthorizationType).toBe('COGNITO_USER_POOLS');
      expect(props.AuthorizerId).toEqual({ Ref: authorizerId });
    } else {
      expect(props.AuthorizationType).toBe('NONE');
      expect(props.AuthorizerId).toBeUndefined();
    }
  });
});

describe('the user pool', () => {
  test('signs users in by verified email, with a password policy', () => {
    // Arrange / Act
    const [, pool] = onlyResourceOfType(template, 'AWS::Cognito::UserPool');
    const props = pool.Properties ?? {};
    // Assert
    expect(props.UsernameAttributes).toEqual(['email']);
    expect(props.AutoVerifiedAttributes).toEqual(['email']);
    expect(props.Policies).toEqual({
      PasswordPolicy: expect.objectContaining({ MinimumLength: expect.any(Number), RequireLowercase: true, RequireNumbers: true }),
    });
    expect((props.Policies as { PasswordPolicy: { MinimumLength: number } }).PasswordPolicy.MinimumLength).toBeGreaterThanOrEqual(8);
  });

  test('the website client has no secret and signs in with SRP only (no plain password flow in prod)', () => {
    // Arrange / Act
    const [poolId] = onlyResourceOfType(template, 'AWS::Cognito::UserPool');
    const [, client] = onlyResourceOfType(template, 'AWS::Cognito::UserPoolClient');
    const props = client.Properties ?? {};
    // Assert
    expect(chosen(template, props.UserPoolId)).toEqual({ Ref: poolId });
    expect(props.GenerateSecret).toBe(false);
    expect(props.ExplicitAuthFlows).toEqual(expect.arrayContaining(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']));
    expect(props.ExplicitAuthFlows).not.toContain('ALLOW_USER_PASSWORD_AUTH');
  });

  test('ID and access tokens last 15 minutes, so a signed-out or stolen one works at most that long; the refresh token 30 days', () => {
    const [, client] = onlyResourceOfType(template, 'AWS::Cognito::UserPoolClient');
    expect(client.Properties).toMatchObject({
      IdTokenValidity: 15,
      AccessTokenValidity: 15,
      RefreshTokenValidity: 30,
      TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes', RefreshToken: 'days' },
      // Log out revokes the refresh token (README, "What the browser is protected by").
      EnableTokenRevocation: true,
    });
  });
});

// ------------------------------------------------------------------ data

interface KeyElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}
interface TableProperties {
  TableName: string;
  BillingMode: string;
  KeySchema: KeyElement[];
  AttributeDefinitions: Array<{ AttributeName: string }>;
  GlobalSecondaryIndexes?: Array<{ IndexName: string; KeySchema: KeyElement[] }>;
  PointInTimeRecoverySpecification?: { PointInTimeRecoveryEnabled: unknown };
}
const key = (hash: string, range?: string): KeyElement[] =>
  range
    ? [
        { AttributeName: hash, KeyType: 'HASH' },
        { AttributeName: range, KeyType: 'RANGE' },
      ]
    : [{ AttributeName: hash, KeyType: 'HASH' }];

describe('the tables', () => {
  test('there are exactly the mysfits table, the user activity table and the visitor salts table', () => {
    // Arrange / Act
    const tables = resourcesOfType(template, 'AWS::DynamoDB::Table').map(([id]) => id);
    // Assert
    expect(tables.sort()).toEqual(['MysfitsTable', 'UserActivityTable', 'VisitorSaltsTable']);
  });

  test('the visitor salts table: one item per day, on-demand, each deleted by TTL after its day, not kept on removal', () => {
    // Arrange
    const table = resource(template, 'VisitorSaltsTable') as { DeletionPolicy?: string; Properties: Record<string, unknown> };
    // Act
    const props = table.Properties as unknown as TableProperties & { TimeToLiveSpecification?: unknown };
    // Assert
    expect(props.TableName).toBe(String(PROD.visitorSaltsTableName));
    expect(props.KeySchema).toEqual(key('Day'));
    expect(props.BillingMode).toBe('PAY_PER_REQUEST');
    expect(props.TimeToLiveSpecification).toEqual({ AttributeName: 'ExpiresAt', Enabled: true });
    expect(table.DeletionPolicy).toBeUndefined();
  });

  test.each([
    {
      id: 'MysfitsTable',
      name: MYSFITS_TABLE,
      keySchema: key('MysfitId'),
      condition: 'CreateMysfitsTable',
      indexes: { GoodEvilIndex: key('GoodEvil', 'MysfitId'), LawChaosIndex: key('LawChaos', 'MysfitId') },
    },
    { id: 'UserActivityTable', name: ACTIVITY_TABLE, keySchema: key('UserId', 'Activity'), condition: 'CreateActivityTable', indexes: {} },
  ])('$id: keys, indexes, on-demand, point-in-time recovery on in prod', ({ id, name, keySchema, condition, indexes }) => {
    // Arrange
    const table = resource(template, id);
    // Act
    const props = table.Properties as unknown as TableProperties;
    const gsis = Object.fromEntries((props.GlobalSecondaryIndexes ?? []).map((gsi) => [gsi.IndexName, gsi.KeySchema]));
    // Assert
    expect(table.Condition).toBe(condition);
    expect(props.TableName).toBe(name);
    expect(props.KeySchema).toEqual(keySchema);
    expect(gsis).toEqual(indexes);
    expect(props.BillingMode).toBe('PAY_PER_REQUEST');
    expect(props.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
  });

  test.each(['MysfitsTable', 'UserActivityTable', 'VisitorSaltsTable'])('%s defines exactly the attributes its keys use', (id) => {
    // Arrange
    const props = properties(template, id) as unknown as TableProperties;
    // Act: CloudFormation rejects a definition no key uses, and a key with no definition.
    const used = new Set(
      [...props.KeySchema, ...(props.GlobalSecondaryIndexes ?? []).flatMap((gsi) => gsi.KeySchema)].map((k) => k.AttributeName),
    );
    // Assert
    expect(props.AttributeDefinitions.map((a) => a.AttributeName).sort()).toEqual([...used].sort());
  });

  test("the mysfits table is created unless the workshop's table is adopted (createMysfitsTable)", () => {
    // Arrange / Act / Assert
    expect(evaluateCondition(template, 'CreateMysfitsTable')).toBe(true);
  });
});

// ------------------------------------------------------------------ functions and their roles

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}
interface RoleProperties {
  AssumeRolePolicyDocument: { Statement: Array<{ Effect: string; Principal: unknown; Action: unknown }> };
  Policies?: Array<{ PolicyDocument: { Statement: Statement[] } }>;
  ManagedPolicyArns?: unknown;
}

const sub = (arn: string) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:dynamodb:\${AWS::Region}:\${AWS::AccountId}:${arn}` });
const mysfitsTable = sub(`table/${MYSFITS_TABLE}`);
const mysfitsIndex = (index: string) => sub(`table/${MYSFITS_TABLE}/index/${index}`);
// Named, like the mysfits table: it may be a retained one, adopted (createActivityTable).
const activityTable = sub(`table/${ACTIVITY_TABLE}`);

/** A statement as a comparable value: sorted actions, resources as a list. */
const allow = (actions: string[], resources: unknown[]) => ({ Effect: 'Allow', Action: [...actions].sort(), Resource: resources });
const normalise = (s: Statement) => ({ Effect: s.Effect, Action: [s.Action].flat().sort(), Resource: [s.Resource].flat() });
const byJson = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));

const DATA_ACCESS: Record<FunctionName, Array<ReturnType<typeof allow>>> = {
  listMysfits: [
    allow(['dynamodb:Scan'], [mysfitsTable]),
    allow(['dynamodb:Query'], [mysfitsIndex('GoodEvilIndex'), mysfitsIndex('LawChaosIndex')]),
  ],
  getMysfit: [allow(['dynamodb:GetItem'], [mysfitsTable])],
  likeMysfit: [allow(['dynamodb:UpdateItem', 'dynamodb:GetItem'], [mysfitsTable]), allow(['dynamodb:PutItem'], [activityTable])],
  unlikeMysfit: [allow(['dynamodb:UpdateItem', 'dynamodb:GetItem'], [mysfitsTable]), allow(['dynamodb:DeleteItem'], [activityTable])],
  adoptMysfit: [allow(['dynamodb:UpdateItem'], [mysfitsTable]), allow(['dynamodb:UpdateItem'], [activityTable])],
  getMe: [allow(['dynamodb:Query'], [activityTable])],
  recordClicks: [
    allow(['firehose:PutRecordBatch'], [{ 'Fn::GetAtt': ['ClicksDeliveryStream', 'Arn'] }]),
    allow(['dynamodb:GetItem', 'dynamodb:PutItem'], [{ 'Fn::GetAtt': ['VisitorSaltsTable', 'Arn'] }]),
  ],
  enrichClicks: [allow(['dynamodb:BatchGetItem'], [mysfitsTable])],
};

function roleOf(fn: FunctionName): RoleProperties {
  return properties(template, `${prefix(fn)}Role`) as unknown as RoleProperties;
}

function statementsOf(fn: FunctionName): Statement[] {
  return (roleOf(fn).Policies ?? []).flatMap((policy) => policy.PolicyDocument.Statement);
}

describe('the functions', () => {
  test('there are exactly the route functions and the clicks transformation', () => {
    // Arrange / Act
    const functions = resourcesOfType(template, 'AWS::Lambda::Function').map(([id]) => id);
    // Assert
    expect(functions.sort()).toEqual(FUNCTIONS.map((fn) => `${prefix(fn)}LambdaFunction`).sort());
  });

  // Their CORS origin: see 'the CORS origin' below.
  /** The tables each function reads, and so is given (and no other). */
  const TABLES_READ: Record<FunctionName, Record<string, string>> = {
    listMysfits: { MYSFITS_TABLE },
    getMysfit: { MYSFITS_TABLE },
    likeMysfit: { MYSFITS_TABLE, ACTIVITY_TABLE },
    unlikeMysfit: { MYSFITS_TABLE, ACTIVITY_TABLE },
    adoptMysfit: { MYSFITS_TABLE, ACTIVITY_TABLE },
    getMe: { ACTIVITY_TABLE },
    recordClicks: {},
    enrichClicks: { MYSFITS_TABLE },
  };

  test.each(FUNCTIONS)('%s runs on nodejs22.x with exactly the tables it reads in its environment', (fn) => {
    // Arrange / Act
    const props = properties(template, `${prefix(fn)}LambdaFunction`);
    const variables = (props.Environment as { Variables: Record<string, string> }).Variables;
    const tables = Object.fromEntries(Object.entries(variables).filter(([name]) => ['MYSFITS_TABLE', 'ACTIVITY_TABLE'].includes(name)));
    // Assert
    expect(props.Runtime).toBe('nodejs22.x');
    expect(tables).toEqual(TABLES_READ[fn]);
  });

  test('each function has a role of its own, and there is no shared role', () => {
    // Arrange / Act
    const roles = FUNCTIONS.map((fn) => properties(template, `${prefix(fn)}LambdaFunction`).Role);
    // Assert
    expect(roles).toEqual(FUNCTIONS.map((fn) => ({ 'Fn::GetAtt': [`${prefix(fn)}Role`, 'Arn'] })));
    expect(new Set(roles.map((role) => JSON.stringify(role))).size).toBe(FUNCTIONS.length);
    expect(template.Resources.IamRoleLambdaExecution).toBeUndefined();
    // The other: the delivery stream's own (tested with the clicks pipeline). API Gateway's logging role is the
    // account's, not the stack's (tests/infra/lifecycle.test.ts).
    expect(
      resourcesOfType(template, 'AWS::IAM::Role')
        .map(([id]) => id)
        .sort(),
    ).toEqual([...FUNCTIONS.map((fn) => `${prefix(fn)}Role`), 'ClicksFirehoseRole'].sort());
  });

  test.each(FUNCTIONS)("%s's role can be assumed by Lambda only, and has no managed policies", (fn) => {
    // Arrange / Act
    const role = roleOf(fn);
    // Assert
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
    expect(role.ManagedPolicyArns).toBeUndefined();
  });

  test.each(FUNCTIONS)("%s's role allows exactly its own log group and its data access", (fn) => {
    // Arrange
    const ownLogGroup = allow(['logs:CreateLogStream', 'logs:PutLogEvents'], [{ 'Fn::GetAtt': [`${prefix(fn)}LogGroup`, 'Arn'] }]);
    const expected = [ownLogGroup, XRAY_STATEMENT, ...(DATA_ACCESS[fn] ?? [])].sort(byJson);
    // Act
    const actual = statementsOf(fn).map(normalise).sort(byJson);
    // Assert
    expect(actual).toEqual(expected);
  });

  test.each(FUNCTIONS)("%s's log group is the one Lambda writes it to", (fn) => {
    // Arrange
    const functionName = properties(template, `${prefix(fn)}LambdaFunction`).FunctionName;
    // Act
    const logGroup = properties(template, `${prefix(fn)}LogGroup`);
    // Assert
    expect(functionName).toEqual(expect.any(String));
    expect(logGroup.LogGroupName).toBe(`/aws/lambda/${String(functionName)}`);
  });

  test.each(FUNCTIONS)("%s's role has no wildcard action or resource, but for sending traces to X-Ray", (fn) => {
    // Arrange
    const statements = withoutXRay(statementsOf(fn), normalise);
    // Act
    const actions = statements.flatMap((s) => [s.Action].flat());
    const resources = JSON.stringify(statements.map((s) => s.Resource));
    // Assert
    expect(statements.length).toBeGreaterThan(0);
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
    expect(resources).not.toContain('*');
  });

  test('each function is packaged on its own', () => {
    // Arrange / Act
    const zips = plain.files.filter((file) => file.endsWith('.zip'));
    // Assert
    expect(zips.sort()).toEqual(FUNCTIONS.map((fn) => `${fn}.zip`).sort());
  });
});

// ------------------------------------------------------------------ errors, throttling

describe('the API', () => {
  // Their CORS origin: see 'the CORS origin' below.
  test.each([
    { responseType: 'DEFAULT_4XX', statusCode: undefined },
    { responseType: 'DEFAULT_5XX', statusCode: undefined },
    { responseType: 'MISSING_AUTHENTICATION_TOKEN', statusCode: '404' },
    { responseType: 'THROTTLED', statusCode: '429', more: ['Access-Control-Expose-Headers', 'Retry-After'] },
  ])('answers $responseType as JSON with a message and the CORS headers', ({ responseType, statusCode, more = [] }) => {
    // Arrange
    const responses = resourcesOfType(template, 'AWS::ApiGateway::GatewayResponse').filter(
      ([, r]) => r.Properties?.ResponseType === responseType,
    );
    // Act
    const props = responses[0]?.[1].Properties ?? {};
    // Assert
    expect(responses).toHaveLength(1);
    expect(props.RestApiId).toEqual({ Ref: 'ApiGatewayRestApi' });
    expect(props.StatusCode).toBe(statusCode);
    expect((props.ResponseTemplates as Record<string, string>)['application/json']).toContain('"message"');
    expect(Object.keys(props.ResponseParameters as Record<string, unknown>).sort()).toEqual(
      ['Access-Control-Allow-Headers', 'Access-Control-Allow-Origin', ...more].map((name) => `gatewayresponse.header.${name}`).sort(),
    );
  });

  test("the stage is throttled as serverless.yml's prod parameters say", () => {
    // Arrange
    const [deploymentId] = onlyResourceOfType(template, 'AWS::ApiGateway::Deployment');
    // Act
    const [, stage] = onlyResourceOfType(template, 'AWS::ApiGateway::Stage');
    const props = stage.Properties ?? {};
    // Assert
    expect(props.StageName).toBe('prod');
    expect(props.DeploymentId).toEqual({ Ref: deploymentId });
    const settings = props.MethodSettings as Array<Record<string, unknown>>;
    expect(settings[0]).toEqual({
      ResourcePath: '/*',
      HttpMethod: '*',
      ThrottlingRateLimit: Number(PROD.throttleRateLimit),
      ThrottlingBurstLimit: Number(PROD.throttleBurstLimit),
      CachingEnabled: false,
      MetricsEnabled: true,
    });
    // A method's own settings (the cached reads) replace the stage's: each repeats the throttling.
    for (const setting of settings.filter((s) => s.CachingEnabled === true)) {
      expect(setting).toMatchObject({
        ThrottlingRateLimit: Number(PROD.throttleRateLimit),
        ThrottlingBurstLimit: Number(PROD.throttleBurstLimit),
      });
    }
    // The routes with a throttle of their own (tests/infra/waf.test.ts) are below the stage's.
    for (const setting of settings) {
      expect(Number(setting.ThrottlingRateLimit)).toBeLessThanOrEqual(Number(PROD.throttleRateLimit));
      expect(Number(setting.ThrottlingBurstLimit)).toBeLessThanOrEqual(Number(PROD.throttleBurstLimit));
    }
  });

  test('the deployment does not make the stage itself (a redeploy could not change its settings)', () => {
    // Arrange / Act
    const [deploymentId] = onlyResourceOfType(template, 'AWS::ApiGateway::Deployment');
    const props = properties(template, deploymentId);
    // Assert
    expect(props.StageName).toBeUndefined();
    expect(props.StageDescription).toBeUndefined();
  });

  test('the deployment comes after every method and gateway response, so it serves them all', () => {
    // Arrange
    const expected = [
      ...resourcesOfType(template, 'AWS::ApiGateway::Method'),
      ...resourcesOfType(template, 'AWS::ApiGateway::GatewayResponse'),
    ].map(([id]) => id);
    // Act
    const [, deployment] = onlyResourceOfType(template, 'AWS::ApiGateway::Deployment');
    // Assert
    expect(dependsOn(deployment)).toEqual(expect.arrayContaining(expected));
    expect(expected).toContain('ApiGatewayMethodMysfitsGet');
  });

  test.each([
    { output: 'ApiUrl', value: { 'Fn::Sub': 'https://${ApiGatewayRestApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/prod' } },
    { output: 'UserPoolId', value: { 'Fn::If': ['CreateUserPool', { Ref: 'CognitoUserPool' }, ''] } },
    { output: 'UserPoolClientId', value: { Ref: 'CognitoUserPoolClient' } },
    { output: 'Region', value: { Ref: 'AWS::Region' } },
    { output: 'MysfitsTableName', value: MYSFITS_TABLE },
    { output: 'UserActivityTableName', value: ACTIVITY_TABLE },
  ])('outputs $output for the website and scripts', ({ output, value }) => {
    // Arrange / Act
    const found = template.Outputs?.[output];
    // Assert
    expect(found?.Value).toEqual(value);
  });
});

// ------------------------------------------------------------------ legacy switch

describe('the cache of public reads (API Gateway stage cache)', () => {
  const CACHED = [
    {
      route: 'GET /mysfits',
      method: 'ApiGatewayMethodMysfitsGet',
      resourcePath: '/~1mysfits',
      key: ['filter', 'value', 'limit', 'cursor'].map((q) => `method.request.querystring.${q}`),
    },
    {
      route: 'GET /mysfits/{mysfitId}',
      method: 'ApiGatewayMethodMysfitsMysfitidVarGet',
      resourcePath: '/~1mysfits~1{mysfitId}',
      key: ['method.request.path.mysfitId'],
    },
  ];
  const stage = () => onlyResourceOfType(template, 'AWS::ApiGateway::Stage')[1].Properties ?? {};
  const settings = () => stage().MethodSettings as Array<Record<string, unknown>>;

  test("the stage has a cache of the prod parameters' size", () => {
    expect(stage()).toMatchObject({ CacheClusterEnabled: true, CacheClusterSize: String(PROD.apiCacheClusterSize) });
  });

  test.each(CACHED)('$route is cached for the prod TTL', ({ resourcePath }) => {
    // Arrange / Act
    const own = settings().filter((s) => s.ResourcePath === resourcePath);
    // Assert
    expect(own).toEqual([
      expect.objectContaining({ HttpMethod: 'GET', CachingEnabled: true, CacheTtlInSeconds: Number(PROD.publicReadCacheSeconds) }),
    ]);
    expect(Number(PROD.publicReadCacheSeconds)).toBeGreaterThan(0);
  });

  test('only those two reads are cached: every other method, and every route with an authorizer, is not', () => {
    // Arrange / Act
    const cached = settings().filter((s) => s.CachingEnabled === true);
    const everyMethod = settings().find((s) => s.ResourcePath === '/*' && s.HttpMethod === '*');
    // Assert
    expect(cached.map((s) => s.ResourcePath).sort()).toEqual(CACHED.map((c) => c.resourcePath).sort());
    expect(everyMethod?.CachingEnabled).toBe(false);
    for (const { route } of CACHED) expect(ROUTES.find((r) => r.route === route)?.signedIn).toBe(false);
  });

  test.each(CACHED)("$route's cache key is its query string or path, never a header (so never Authorization)", ({ method, key }) => {
    // Arrange
    const props = properties(template, method);
    const integration = props.Integration as Record<string, unknown>;
    const branches = (integration['Fn::If'] as unknown[] | undefined)?.slice(1) ?? [integration];
    // Act / Assert
    expect(Object.keys(props.RequestParameters as Record<string, unknown>).sort()).toEqual([...key].sort());
    for (const branch of branches)
      expect([...(branch as { CacheKeyParameters: string[] }).CacheKeyParameters].sort()).toEqual([...key].sort());
    expect(JSON.stringify(props)).not.toMatch(/header/i);
  });
});

describe("the legacy switch (GET /mysfits through a VPC link to the old service's NLB)", () => {
  // Either way the stage cache keys GET /mysfits by its query string (see 'the cache of public reads').
  const LIST_CACHE_KEY = ['filter', 'value', 'limit', 'cursor'].map((name) => `method.request.querystring.${name}`);
  const listMysfitsIntegration = {
    Type: 'AWS_PROXY',
    IntegrationHttpMethod: 'POST',
    Uri: {
      'Fn::Sub':
        'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${ListMysfitsLambdaFunction.Arn}/invocations',
    },
    CacheKeyParameters: LIST_CACHE_KEY,
  };

  test.each([
    { given: 'no NLB', packaged: () => plain, useLegacyNlb: false },
    { given: 'an NLB', packaged: () => withLegacyNlb, useLegacyNlb: true },
  ])('with $given, UseLegacyNlb is $useLegacyNlb', ({ packaged, useLegacyNlb }) => {
    // Arrange / Act
    const value = evaluateCondition(packaged().template, 'UseLegacyNlb');
    // Assert
    expect(value).toBe(useLegacyNlb);
  });

  test('with an NLB, the VPC link targets it, only when UseLegacyNlb', () => {
    // Arrange / Act
    const [, link] = onlyResourceOfType(withLegacyNlb.template, 'AWS::ApiGateway::VpcLink');
    // Assert
    expect(link.Condition).toBe('UseLegacyNlb');
    expect(link.Properties?.TargetArns).toEqual([NLB_ARN]);
  });

  test('with an NLB, GET /mysfits proxies to http://<NLB>/mysfits through the link, or else to listMysfits', () => {
    // Arrange
    const [linkId] = onlyResourceOfType(withLegacyNlb.template, 'AWS::ApiGateway::VpcLink');
    // Act
    const integration = properties(withLegacyNlb.template, 'ApiGatewayMethodMysfitsGet').Integration;
    // Assert
    expect(integration).toEqual({
      'Fn::If': [
        'UseLegacyNlb',
        {
          Type: 'HTTP_PROXY',
          IntegrationHttpMethod: 'GET',
          ConnectionType: 'VPC_LINK',
          ConnectionId: { Ref: linkId },
          Uri: `http://${NLB_DNS}/mysfits`,
          CacheKeyParameters: LIST_CACHE_KEY,
        },
        listMysfitsIntegration,
      ],
    });
  });

  test('without an NLB, GET /mysfits goes to listMysfits (the condition picks the Lambda branch)', () => {
    // Arrange
    const integration = properties(template, 'ApiGatewayMethodMysfitsGet').Integration as { 'Fn::If': [string, unknown, unknown] };
    // Act
    const [condition, whenTrue, whenFalse] = integration['Fn::If'];
    const chosen = evaluateCondition(template, condition) ? whenTrue : whenFalse;
    // Assert
    expect(chosen).toEqual(listMysfitsIntegration);
  });

  test('with an NLB, the deployment includes GET /mysfits (and through it the VPC link)', () => {
    // Arrange / Act
    const [, deployment] = onlyResourceOfType(withLegacyNlb.template, 'AWS::ApiGateway::Deployment');
    // Assert
    expect(dependsOn(deployment)).toContain('ApiGatewayMethodMysfitsGet');
  });
});

// ------------------------------------------------------------------ website: a private bucket behind CloudFront

/** The value at `path` inside `value`, or undefined where the path ends early. */
const at = (value: unknown, path: readonly string[]): unknown =>
  path.reduce<unknown>((node, step) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[step] : undefined), value);

interface Origin {
  Id: string;
  DomainName: unknown;
  OriginAccessControlId?: unknown;
  S3OriginConfig?: unknown;
  CustomOriginConfig?: unknown;
}
interface DistributionConfig {
  Origins: Origin[];
  DefaultCacheBehavior: { TargetOriginId: string };
}
interface PolicyStatement {
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** The statements of the website bucket's policy. */
function websitePolicy(t: Template = template): PolicyStatement[] {
  return (properties(t, 'WebsiteBucketPolicy').PolicyDocument as { Statement: PolicyStatement[] }).Statement;
}

/** A condition's value by operator and key; condition keys are case-insensitive (aws:SourceArn = AWS:SourceArn). */
function conditionValue(statement: PolicyStatement, operator: string, key: string): unknown {
  const entries = Object.entries(statement.Condition?.[operator] ?? {}).filter(([k]) => k.toLowerCase() === key.toLowerCase());
  return entries.length === 1 ? entries[0]?.[1] : undefined;
}

/** Anyone: '*', or an AWS principal of '*'. */
const isPublic = (principal: unknown): boolean => principal === '*' || [at(principal, ['AWS'])].flat().includes('*');

const actionsOf = (statement: PolicyStatement): string[] => [statement.Action].flat().sort();
const resourcesOf = (statement: PolicyStatement): string[] => [statement.Resource].flat().map(textOf).sort();

describe('the website', () => {
  test.each([
    {
      what: 'the bucket blocks every kind of public access',
      id: 'WebsiteBucket',
      path: ['PublicAccessBlockConfiguration'],
      expected: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    },
    {
      what: 'the bucket encrypts every object at rest',
      id: 'WebsiteBucket',
      path: ['BucketEncryption', 'ServerSideEncryptionConfiguration'],
      expected: [
        expect.objectContaining({
          ServerSideEncryptionByDefault: expect.objectContaining({
            SSEAlgorithm: expect.stringMatching(/^(AES256|aws:kms|aws:kms:dsse)$/),
          }),
        }),
      ],
    },
    {
      what: 'the bucket owner owns every object (ACLs off)',
      id: 'WebsiteBucket',
      path: ['OwnershipControls'],
      expected: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    },
    { what: 'the bucket is not an S3 website endpoint', id: 'WebsiteBucket', path: ['WebsiteConfiguration'], expected: undefined },
    { what: 'the bucket has no canned ACL', id: 'WebsiteBucket', path: ['AccessControl'], expected: undefined },
    {
      what: 'the origin access control is for S3',
      id: 'WebsiteOriginAccessControl',
      path: ['OriginAccessControlConfig', 'OriginAccessControlOriginType'],
      expected: 's3',
    },
    {
      what: 'the origin access control signs every request',
      id: 'WebsiteOriginAccessControl',
      path: ['OriginAccessControlConfig', 'SigningBehavior'],
      expected: 'always',
    },
    {
      what: 'the origin access control signs with SigV4',
      id: 'WebsiteOriginAccessControl',
      path: ['OriginAccessControlConfig', 'SigningProtocol'],
      expected: 'sigv4',
    },
    { what: 'the distribution is enabled', id: 'WebsiteDistribution', path: ['DistributionConfig', 'Enabled'], expected: true },
    {
      what: 'the distribution serves index.html at /',
      id: 'WebsiteDistribution',
      path: ['DistributionConfig', 'DefaultRootObject'],
      expected: 'index.html',
    },
    {
      what: 'the distribution redirects HTTP to HTTPS',
      id: 'WebsiteDistribution',
      path: ['DistributionConfig', 'DefaultCacheBehavior', 'ViewerProtocolPolicy'],
      expected: 'redirect-to-https',
    },
    {
      what: 'the distribution has no other cache behaviour (nothing escapes the redirect)',
      id: 'WebsiteDistribution',
      path: ['DistributionConfig', 'CacheBehaviors'],
      expected: undefined,
    },
  ])('$what', ({ id, path, expected }) => {
    // Arrange
    const props = properties(template, id);
    // Act
    const value = at(props, path);
    // Assert
    expect(value).toEqual(expected);
  });

  describe("the security headers: a response headers policy of the site's own on the distribution", () => {
    const config = () =>
      at(properties(template, 'WebsiteResponseHeadersPolicy'), ['ResponseHeadersPolicyConfig', 'SecurityHeadersConfig']) as Record<
        string,
        unknown
      >;
    const directives = () => textOf(at(config(), ['ContentSecurityPolicy', 'ContentSecurityPolicy'])).split('; ');

    test('the distribution uses it (not the managed policy that has no CSP)', () => {
      const behaviour = (properties(template, 'WebsiteDistribution').DistributionConfig as DistributionConfig)
        .DefaultCacheBehavior as unknown as Record<string, unknown>;
      expect(behaviour.ResponseHeadersPolicyId).toEqual({ Ref: 'WebsiteResponseHeadersPolicy' });
      expect(resource(template, 'WebsiteResponseHeadersPolicy').Type).toBe('AWS::CloudFront::ResponseHeadersPolicy');
    });

    test.each([
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self'",
      "connect-src 'self' https://${ApiGatewayRestApi}.execute-api.${AWS::Region}.amazonaws.com https://cognito-idp.${AWS::Region}.amazonaws.com",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "form-action 'self'",
    ])('the Content-Security-Policy has %s', (directive) => {
      expect(directives()).toContain(directive);
    });

    test('the Content-Security-Policy has exactly those directives, no unsafe-inline or unsafe-eval, and overrides any other', () => {
      expect(directives()).toHaveLength(8);
      expect(directives().join('; ')).not.toMatch(/unsafe-|\*/);
      expect(at(config(), ['ContentSecurityPolicy', 'Override'])).toBe(true);
    });

    test('it keeps what the managed security-headers policy gives: HSTS, nosniff, frame options, referrer policy, XSS filter', () => {
      expect(config()).toMatchObject({
        StrictTransportSecurity: { AccessControlMaxAgeSec: 31536000 },
        ContentTypeOptions: { Override: true },
        FrameOptions: { FrameOption: 'DENY' },
        ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin' },
        XSSProtection: { Protection: true, ModeBlock: true },
      });
    });
  });

  test("there is one distribution and one origin access control: the website's", () => {
    // Arrange / Act
    const [distributionId] = onlyResourceOfType(template, 'AWS::CloudFront::Distribution');
    const [oacId] = onlyResourceOfType(template, 'AWS::CloudFront::OriginAccessControl');
    // Assert
    expect(distributionId).toBe('WebsiteDistribution');
    expect(oacId).toBe('WebsiteOriginAccessControl');
    expect(resource(template, 'WebsiteBucket').Type).toBe('AWS::S3::Bucket');
  });

  test("the distribution's only origin is the bucket's regional endpoint, reached through the OAC (no OAI)", () => {
    // Arrange
    const config = properties(template, 'WebsiteDistribution').DistributionConfig as DistributionConfig;
    // Act
    const [origin] = config.Origins;
    // Assert
    expect(config.Origins).toHaveLength(1);
    expect(textOf(origin?.DomainName)).toBe('${WebsiteBucket.RegionalDomainName}');
    expect(textOf(origin?.OriginAccessControlId)).toBe('${WebsiteOriginAccessControl.Id}');
    expect(origin?.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    expect(origin?.CustomOriginConfig).toBeUndefined();
    expect(config.DefaultCacheBehavior.TargetOriginId).toBe(origin?.Id);
  });

  test('the website bucket has exactly one policy', () => {
    // Arrange / Act
    const policies = resourcesOfType(template, 'AWS::S3::BucketPolicy').filter(
      ([, policy]) => textOf(policy.Properties?.Bucket) === '${WebsiteBucket}',
    );
    // Assert
    expect(policies.map(([id]) => id)).toEqual(['WebsiteBucketPolicy']);
  });

  test('the policy allows s3:GetObject on the objects to CloudFront only, for this distribution only', () => {
    // Arrange
    const allows = websitePolicy().filter((s) => s.Effect === 'Allow');
    // Act
    const [allow] = allows;
    // Assert
    expect(allows).toHaveLength(1);
    expect(allow?.Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
    expect(actionsOf(allow!)).toEqual(['s3:GetObject']);
    expect(resourcesOf(allow!)).toEqual(['${WebsiteBucket.Arn}/*']);
    expect(Object.keys(allow?.Condition ?? {})).toEqual(['StringEquals']);
    expect(textOf(conditionValue(allow!, 'StringEquals', 'aws:SourceArn'))).toBe(
      'arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${WebsiteDistribution}',
    );
  });

  test('the policy denies every request over plain HTTP, to the bucket and its objects', () => {
    // Arrange
    const denies = websitePolicy().filter((s) => s.Effect === 'Deny');
    // Act
    const [deny] = denies;
    // Assert
    expect(denies).toHaveLength(1);
    expect(isPublic(deny?.Principal)).toBe(true);
    expect(actionsOf(deny!)).toEqual(['s3:*']);
    expect(resourcesOf(deny!)).toEqual(['${WebsiteBucket.Arn}', '${WebsiteBucket.Arn}/*']);
    expect(String(conditionValue(deny!, 'Bool', 'aws:SecureTransport'))).toBe('false');
  });

  test.each([
    { given: 'the prod package', packaged: () => plain },
    { given: 'the package with an NLB', packaged: () => withLegacyNlb },
    { given: 'the package with a custom CORS origin', packaged: () => withCustomOrigin },
  ])('in $given, no statement allows a public principal', ({ packaged }) => {
    // Arrange
    const statements = websitePolicy(packaged().template);
    // Act
    const publicAllows = statements.filter((s) => s.Effect === 'Allow' && isPublic(s.Principal));
    // Assert
    expect(statements.length).toBeGreaterThan(0);
    expect(publicAllows).toEqual([]);
  });

  test.each([
    {
      output: 'WebsiteUrl',
      text: 'https://${WebsiteDistribution.DomainName}',
      id: 'WebsiteDistribution',
      type: 'AWS::CloudFront::Distribution',
    },
    { output: 'WebsiteBucketName', text: '${WebsiteBucket}', id: 'WebsiteBucket', type: 'AWS::S3::Bucket' },
    { output: 'WebsiteDistributionId', text: '${WebsiteDistribution}', id: 'WebsiteDistribution', type: 'AWS::CloudFront::Distribution' },
  ])('outputs $output ($text) for publishing the site', ({ output, text, id, type }) => {
    // Arrange
    const found = template.Outputs?.[output];
    // Act
    const value = textOf(found?.Value);
    // Assert
    expect(value).toBe(text);
    expect(resource(template, id).Type).toBe(type);
  });
});

// ------------------------------------------------------------------ the one origin browsers may call the API from

/** The website's own URL: https:// and its only CloudFront distribution's domain name. */
const websiteUrl = (t: Template): string => `https://\${${onlyResourceOfType(t, 'AWS::CloudFront::Distribution')[0]}.DomainName}`;

describe.each([
  { given: 'the prod package', packaged: () => plain, originName: "the website's CloudFront URL", origin: websiteUrl },
  {
    given: `--param="corsOrigin=${CUSTOM_ORIGIN}"`,
    packaged: () => withCustomOrigin,
    originName: CUSTOM_ORIGIN,
    origin: () => CUSTOM_ORIGIN,
  },
])('the CORS origin, with $given', ({ packaged, originName, origin }) => {
  const ALLOW_ORIGIN = 'method.response.header.Access-Control-Allow-Origin';

  test.each(FUNCTIONS.filter((fn) => fn !== 'enrichClicks'))(`%s's CORS_ORIGIN is ${originName}`, (fn) => {
    // Arrange
    const t = packaged().template;
    // Act
    const variables = (properties(t, `${prefix(fn)}LambdaFunction`).Environment as { Variables: Record<string, unknown> }).Variables;
    // Assert
    expect(textOf(variables.CORS_ORIGIN)).toBe(origin(t));
  });

  test('enrichClicks answers no browser: no CORS_ORIGIN, so it waits for no distribution', () => {
    const variables = (properties(packaged().template, 'EnrichClicksLambdaFunction').Environment as { Variables: Record<string, unknown> })
      .Variables;
    expect(variables.CORS_ORIGIN).toBeUndefined();
    expect(JSON.stringify(variables)).not.toContain('WebsiteDistribution');
  });

  test(`every gateway response allows ${originName}, quoted as a header value`, () => {
    // Arrange
    const t = packaged().template;
    // Act
    const allowed = resourcesOfType(t, 'AWS::ApiGateway::GatewayResponse').map(([id, response]) => [
      id,
      textOf(at(response.Properties, ['ResponseParameters', 'gatewayresponse.header.Access-Control-Allow-Origin'])),
    ]);
    // Assert
    expect(allowed).toHaveLength(4);
    expect(Object.fromEntries(allowed)).toEqual(Object.fromEntries(allowed.map(([id]) => [id, `'${origin(t)}'`])));
  });

  test(`every route's preflight allows ${originName}, quoted as a header value`, () => {
    // Arrange
    const t = packaged().template;
    const methods = resourcesOfType(t, 'AWS::ApiGateway::Method');
    const preflights = methods.filter(([, m]) => m.Properties?.HttpMethod === 'OPTIONS');
    const routeResources = new Set(
      methods.filter(([, m]) => m.Properties?.HttpMethod !== 'OPTIONS').map(([, m]) => textOf(m.Properties?.ResourceId)),
    );
    // Act
    const allowed = preflights.flatMap(([id, preflight]) => {
      const responses = at(preflight.Properties, ['Integration', 'IntegrationResponses']) as Array<{
        ResponseParameters?: Record<string, unknown>;
      }>;
      return responses.map((response) => [id, textOf(response.ResponseParameters?.[ALLOW_ORIGIN])]);
    });
    // Assert: one preflight per route resource, and each of its responses allows exactly the origin.
    expect(new Set(preflights.map(([, p]) => textOf(p.Properties?.ResourceId)))).toEqual(routeResources);
    expect(preflights).toHaveLength(routeResources.size);
    expect(new Set(allowed.map(([id]) => id))).toEqual(new Set(preflights.map(([id]) => id)));
    expect(allowed).toEqual(allowed.map(([id]) => [id, `'${origin(t)}'`]));
  });
});
