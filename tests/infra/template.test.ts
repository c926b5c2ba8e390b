/**
 * The prod CloudFormation template as `serverless package --stage prod` builds it, offline and with no AWS credentials:
 * who may call what, least-privilege roles, tables, errors as JSON, throttling and the legacy switch.
 */
import { stageParams } from '../../scripts/lib/serverlessConfig';
import {
  dependsOn,
  evaluateCondition,
  onlyResourceOfType,
  packageProd,
  properties,
  resource,
  resourcesOfType,
  type Packaged,
  type Template,
} from './package';

const NLB_ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/legacy/0123456789abcdef';
const NLB_DNS = 'legacy-0123456789abcdef.elb.us-east-1.amazonaws.com';

const PROD = stageParams('prod');
const MYSFITS_TABLE = String(PROD.mysfitsTableName);
const ACTIVITY_TABLE = String(PROD.activityTableName);

let plain: Packaged;
let withLegacyNlb: Packaged;
let template: Template;

beforeAll(async () => {
  // Two packagings of ~10 s each, side by side.
  [plain, withLegacyNlb] = await Promise.all([
    packageProd(),
    packageProd({ legacyNlbArn: NLB_ARN, legacyNlbDnsName: NLB_DNS }),
  ]);
  template = plain.template;
}, 120_000);

// ------------------------------------------------------------------ who may call what

const FUNCTIONS = ['listMysfits', 'getMysfit', 'likeMysfit', 'unlikeMysfit', 'adoptMysfit', 'getMe'] as const;
type FunctionName = (typeof FUNCTIONS)[number];
/** The framework's logical-id prefix of a function: listMysfits -> ListMysfits (ListMysfitsLambdaFunction, ...). */
const prefix = (fn: FunctionName): string => fn[0]!.toUpperCase() + fn.slice(1);

const ROUTES = [
  { route: 'GET /mysfits', method: 'ApiGatewayMethodMysfitsGet', httpMethod: 'GET', signedIn: false },
  { route: 'GET /mysfits/{mysfitId}', method: 'ApiGatewayMethodMysfitsMysfitidVarGet', httpMethod: 'GET', signedIn: false },
  { route: 'POST /mysfits/{mysfitId}/like', method: 'ApiGatewayMethodMysfitsMysfitidVarLikePost', httpMethod: 'POST', signedIn: true },
  { route: 'DELETE /mysfits/{mysfitId}/like', method: 'ApiGatewayMethodMysfitsMysfitidVarLikeDelete', httpMethod: 'DELETE', signedIn: true },
  { route: 'POST /mysfits/{mysfitId}/adopt', method: 'ApiGatewayMethodMysfitsMysfitidVarAdoptPost', httpMethod: 'POST', signedIn: true },
  { route: 'GET /me', method: 'ApiGatewayMethodMeGet', httpMethod: 'GET', signedIn: true },
];

describe('the Cognito authorizer', () => {
  test('checks ID tokens from the Authorization header against the user pool', () => {
    // Arrange
    const [, authorizer] = onlyResourceOfType(template, 'AWS::ApiGateway::Authorizer');
    // Act
    const props = authorizer.Properties ?? {};
    // Assert
    expect(props.Type).toBe('COGNITO_USER_POOLS');
    expect(props.ProviderARNs).toEqual([{ 'Fn::GetAtt': ['CognitoUserPool', 'Arn'] }]);
    expect(props.IdentitySource).toBe('method.request.header.Authorization');
    expect(props.RestApiId).toEqual({ Ref: 'ApiGatewayRestApi' });
  });

  test('every route but the CORS preflights is in the table below, so a new route needs a decision', () => {
    // Arrange
    const methods = resourcesOfType(template, 'AWS::ApiGateway::Method')
      .filter(([, method]) => method.Properties?.HttpMethod !== 'OPTIONS')
      .map(([id]) => id);
    // Act / Assert
    expect(methods.sort()).toEqual(ROUTES.map((r) => r.method).sort());
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
    expect(props.UserPoolId).toEqual({ Ref: poolId });
    expect(props.GenerateSecret).toBe(false);
    expect(props.ExplicitAuthFlows).toEqual(expect.arrayContaining(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']));
    expect(props.ExplicitAuthFlows).not.toContain('ALLOW_USER_PASSWORD_AUTH');
  });
});

// ------------------------------------------------------------------ data

interface KeyElement { AttributeName: string; KeyType: 'HASH' | 'RANGE' }
interface TableProperties {
  TableName: string;
  BillingMode: string;
  KeySchema: KeyElement[];
  AttributeDefinitions: Array<{ AttributeName: string }>;
  GlobalSecondaryIndexes?: Array<{ IndexName: string; KeySchema: KeyElement[] }>;
  PointInTimeRecoverySpecification?: { PointInTimeRecoveryEnabled: unknown };
}
const key = (hash: string, range?: string): KeyElement[] =>
  range ? [{ AttributeName: hash, KeyType: 'HASH' }, { AttributeName: range, KeyType: 'RANGE' }] : [{ AttributeName: hash, KeyType: 'HASH' }];

describe('the tables', () => {
  test('there are exactly the mysfits table and the user activity table', () => {
    // Arrange / Act
    const tables = resourcesOfType(template, 'AWS::DynamoDB::Table').map(([id]) => id);
    // Assert
    expect(tables.sort()).toEqual(['MysfitsTable', 'UserActivityTable']);
  });

  test.each([
    { id: 'MysfitsTable', name: MYSFITS_TABLE, keySchema: key('MysfitId'), condition: 'CreateMysfitsTable',
      indexes: { GoodEvilIndex: key('GoodEvil', 'MysfitId'), LawChaosIndex: key('LawChaos', 'MysfitId') } },
    { id: 'UserActivityTable', name: ACTIVITY_TABLE, keySchema: key('UserId', 'Activity'), condition: undefined, indexes: {} },
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

  test.each(['MysfitsTable', 'UserActivityTable'])('%s defines exactly the attributes its keys use', (id) => {
    // Arrange
    const props = properties(template, id) as unknown as TableProperties;
    // Act: CloudFormation rejects a definition no key uses, and a key with no definition.
    const used = new Set([...props.KeySchema, ...(props.GlobalSecondaryIndexes ?? []).flatMap((gsi) => gsi.KeySchema)].map((k) => k.AttributeName));
    // Assert
    expect(props.AttributeDefinitions.map((a) => a.AttributeName).sort()).toEqual([...used].sort());
  });

  test('the mysfits table is created unless the workshop\'s table is adopted (createMysfitsTable)', () => {
    // Arrange / Act / Assert
    expect(evaluateCondition(template, 'CreateMysfitsTable')).toBe(true);
  });
});

// ------------------------------------------------------------------ functions and their roles

interface Statement { Effect: string; Action: string | string[]; Resource: unknown }
interface RoleProperties {
  AssumeRolePolicyDocument: { Statement: Array<{ Effect: string; Principal: unknown; Action: unknown }> };
  Policies?: Array<{ PolicyDocument: { Statement: Statement[] } }>;
  ManagedPolicyArns?: unknown;
}

const sub = (arn: string) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:dynamodb:\${AWS::Region}:\${AWS::AccountId}:${arn}` });
const mysfitsTable = sub(`table/${MYSFITS_TABLE}`);
const mysfitsIndex = (index: string) => sub(`table/${MYSFITS_TABLE}/index/${index}`);
const activityTable = { 'Fn::GetAtt': ['UserActivityTable', 'Arn'] };

/** A statement as a comparable value: sorted actions, resources as a list. */
const allow = (actions: string[], resources: unknown[]) => ({ Effect: 'Allow', Action: [...actions].sort(), Resource: resources });
const normalise = (s: Statement) => ({ Effect: s.Effect, Action: [s.Action].flat().sort(), Resource: [s.Resource].flat() });
const byJson = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));

const DATA_ACCESS: Record<FunctionName, Array<ReturnType<typeof allow>>> = {
  listMysfits: [allow(['dynamodb:Scan'], [mysfitsTable]), allow(['dynamodb:Query'], [mysfitsIndex('GoodEvilIndex'), mysfitsIndex('LawChaosIndex')])],
  getMysfit: [allow(['dynamodb:GetItem'], [mysfitsTable])],
  likeMysfit: [allow(['dynamodb:UpdateItem', 'dynamodb:GetItem'], [mysfitsTable]), allow(['dynamodb:PutItem'], [activityTable])],
  unlikeMysfit: [allow(['dynamodb:UpdateItem', 'dynamodb:GetItem'], [mysfitsTable]), allow(['dynamodb:DeleteItem'], [activityTable])],
  adoptMysfit: [allow(['dynamodb:UpdateItem'], [mysfitsTable]), allow(['dynamodb:UpdateItem'], [activityTable])],
  getMe: [allow(['dynamodb:Query'], [activityTable])],
};

function roleOf(fn: FunctionName): RoleProperties {
  return properties(template, `${prefix(fn)}Role`) as unknown as RoleProperties;
}

function statementsOf(fn: FunctionName): Statement[] {
  return (roleOf(fn).Policies ?? []).flatMap((policy) => policy.PolicyDocument.Statement);
}

describe('the functions', () => {
  test('there are exactly the six route functions', () => {
    // Arrange / Act
    const functions = resourcesOfType(template, 'AWS::Lambda::Function').map(([id]) => id);
    // Assert
    expect(functions.sort()).toEqual(FUNCTIONS.map((fn) => `${prefix(fn)}LambdaFunction`).sort());
  });

  test.each(FUNCTIONS)('%s runs on nodejs22.x with its tables and CORS origin in the environment', (fn) => {
    // Arrange / Act
    const props = properties(template, `${prefix(fn)}LambdaFunction`);
    const variables = (props.Environment as { Variables: Record<string, string> }).Variables;
    // Assert
    expect(props.Runtime).toBe('nodejs22.x');
    expect(variables.MYSFITS_TABLE).toBe(MYSFITS_TABLE);
    expect(variables.ACTIVITY_TABLE).toBe(ACTIVITY_TABLE);
    expect(variables.CORS_ORIGIN).toBe(PROD.corsOrigin);
  });

  test('each function has a role of its own, and there is no shared role', () => {
    // Arrange / Act
    const roles = FUNCTIONS.map((fn) => properties(template, `${prefix(fn)}LambdaFunction`).Role);
    // Assert
    expect(roles).toEqual(FUNCTIONS.map((fn) => ({ 'Fn::GetAtt': [`${prefix(fn)}Role`, 'Arn'] })));
    expect(new Set(roles.map((role) => JSON.stringify(role))).size).toBe(FUNCTIONS.length);
    expect(template.Resources.IamRoleLambdaExecution).toBeUndefined();
    expect(resourcesOfType(template, 'AWS::IAM::Role').map(([id]) => id).sort()).toEqual(FUNCTIONS.map((fn) => `${prefix(fn)}Role`).sort());
  });

  test.each(FUNCTIONS)('%s\'s role can be assumed by Lambda only, and has no managed policies', (fn) => {
    // Arrange / Act
    const role = roleOf(fn);
    // Assert
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
    expect(role.ManagedPolicyArns).toBeUndefined();
  });

  test.each(FUNCTIONS)('%s\'s role allows exactly its own log group and its data access', (fn) => {
    // Arrange
    const ownLogGroup = allow(['logs:CreateLogStream', 'logs:PutLogEvents'], [{ 'Fn::GetAtt': [`${prefix(fn)}LogGroup`, 'Arn'] }]);
    const expected = [ownLogGroup, ...DATA_ACCESS[fn]].sort(byJson);
    // Act
    const actual = statementsOf(fn).map(normalise).sort(byJson);
    // Assert
    expect(actual).toEqual(expected);
  });

  test.each(FUNCTIONS)('%s\'s log group is the one Lambda writes it to', (fn) => {
    // Arrange
    const functionName = properties(template, `${prefix(fn)}LambdaFunction`).FunctionName;
    // Act
    const logGroup = properties(template, `${prefix(fn)}LogGroup`);
    // Assert
    expect(functionName).toEqual(expect.any(String));
    expect(logGroup.LogGroupName).toBe(`/aws/lambda/${String(functionName)}`);
  });

  test.each(FUNCTIONS)('%s\'s role has no wildcard action or resource', (fn) => {
    // Arrange
    const statements = statementsOf(fn);
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
  const corsOriginHeader = `'${String(PROD.corsOrigin)}'`;

  test.each([
    { responseType: 'DEFAULT_4XX', statusCode: undefined },
    { responseType: 'DEFAULT_5XX', statusCode: undefined },
    { responseType: 'MISSING_AUTHENTICATION_TOKEN', statusCode: '404' },
  ])('answers $responseType as JSON with a message and the CORS origin', ({ responseType, statusCode }) => {
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
    expect((props.ResponseParameters as Record<string, string>)['gatewayresponse.header.Access-Control-Allow-Origin']).toBe(corsOriginHeader);
  });

  test('the stage is throttled as serverless.yml\'s prod parameters say', () => {
    // Arrange
    const [deploymentId] = onlyResourceOfType(template, 'AWS::ApiGateway::Deployment');
    // Act
    const [, stage] = onlyResourceOfType(template, 'AWS::ApiGateway::Stage');
    const props = stage.Properties ?? {};
    // Assert
    expect(props.StageName).toBe('prod');
    expect(props.DeploymentId).toEqual({ Ref: deploymentId });
    expect(props.MethodSettings).toEqual([
      { ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: Number(PROD.throttleRateLimit), ThrottlingBurstLimit: Number(PROD.throttleBurstLimit) },
    ]);
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
    { output: 'UserPoolId', value: { Ref: 'CognitoUserPool' } },
    { output: 'UserPoolClientId', value: { Ref: 'CognitoUserPoolClient' } },
    { output: 'Region', value: { Ref: 'AWS::Region' } },
    { output: 'MysfitsTableName', value: MYSFITS_TABLE },
    { output: 'UserActivityTableName', value: { Ref: 'UserActivityTable' } },
  ])('outputs $output for the website and scripts', ({ output, value }) => {
    // Arrange / Act
    const found = template.Outputs?.[output];
    // Assert
    expect(found?.Value).toEqual(value);
  });
});

// ------------------------------------------------------------------ legacy switch

describe('the legacy switch (GET /mysfits through a VPC link to the old service\'s NLB)', () => {
  const listMysfitsIntegration = {
    Type: 'AWS_PROXY',
    IntegrationHttpMethod: 'POST',
    Uri: { 'Fn::Sub': 'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${ListMysfitsLambdaFunction.Arn}/invocations' },
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
        { Type: 'HTTP_PROXY', IntegrationHttpMethod: 'GET', ConnectionType: 'VPC_LINK', ConnectionId: { Ref: linkId }, Uri: `http://${NLB_DNS}/mysfits` },
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
