/**
 * The clickstream in the prod CloudFormation template (`serverless package --stage prod`, offline): POST /clicks, the
 * delivery stream and its transformation, the private bucket it writes by date, the Glue table and Athena workgroup
 * over it, and a least-privilege role for each part.
 */
import { resolvedServiceSync, stageParams } from '../../dev/service';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toClickRecord } from '../../shared/clicks';
import { clickColumns, storedClickSchema } from '../../shared/storedClick';
import { QUERIES_DIR } from '../../scripts/report/queries';
import { chosen, packageProd, properties, resource, resourcesOfType, textOf, type Template, withoutXRay, XRAY_STATEMENT } from './package';

const PROD = stageParams(resolvedServiceSync('prod'), 'prod');
const MYSFITS_TABLE = String(PROD.mysfitsTableName);
const STREAM_NAME = 'mysfits-prod-clicks';

let template: Template;

beforeAll(async () => {
  ({ template } = await packageProd());
}, 120_000);

// ------------------------------------------------------------------ readers

/** The value at `path` inside `value`, or undefined where the path ends early. */
const at = (value: unknown, ...path: Array<string | number>): unknown =>
  path.reduce<unknown>(
    (node, step) => (node && typeof node === 'object' ? (node as Record<string | number, unknown>)[step] : undefined),
    value,
  );

const destination = () => properties(template, 'ClicksDeliveryStream').ExtendedS3DestinationConfiguration as Record<string, unknown>;
const tableInput = () => properties(template, 'ClicksTable').TableInput as Record<string, unknown>;

interface Statement {
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}
interface RoleProperties {
  AssumeRolePolicyDocument: { Statement: Statement[] };
  Policies?: Array<{ PolicyDocument: { Statement: Statement[] } }>;
  ManagedPolicyArns?: unknown;
}

const roleOf = (id: string) => properties(template, id) as unknown as RoleProperties;
const statementsOf = (id: string) => (roleOf(id).Policies ?? []).flatMap((policy) => policy.PolicyDocument.Statement);

/** A statement as comparable text: effect, sorted actions, resources as the text they make. */
const normalise = (s: Statement) => ({
  Effect: s.Effect,
  Action: [s.Action].flat().sort(),
  Resource: [s.Resource].flat().map(textOf).sort(),
});
const allow = (actions: string[], resources: string[]) => ({
  Effect: 'Allow',
  Action: [...actions].sort(),
  Resource: [...resources].sort(),
});
const byJson = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));

// ------------------------------------------------------------------ POST /clicks

describe('POST /clicks', () => {
  test('is open to everyone (no authorizer: the function reads an optional ID token itself) and runs recordClicks', () => {
    // Arrange / Act
    const props = properties(template, 'ApiGatewayMethodClicksPost');
    // Assert
    expect(props.HttpMethod).toBe('POST');
    expect(props.AuthorizationType).toBe('NONE');
    expect(props.AuthorizerId).toBeUndefined();
    expect(at(props, 'Integration', 'Type')).toBe('AWS_PROXY');
    expect(textOf(at(props, 'Integration', 'Uri'))).toContain('${RecordClicksLambdaFunction.Arn}');
  });

  test('has a CORS preflight that allows POST with the Authorization and Content-Type headers, from the website only', () => {
    // Arrange
    const props = properties(template, 'ApiGatewayMethodClicksOptions');
    // Act
    const headers = at(props, 'Integration', 'IntegrationResponses', 0, 'ResponseParameters') as Record<string, unknown>;
    // Assert
    expect(props.HttpMethod).toBe('OPTIONS');
    expect(props.AuthorizationType).toBe('NONE');
    expect(props.ResourceId).toEqual(properties(template, 'ApiGatewayMethodClicksPost').ResourceId);
    expect(textOf(headers['method.response.header.Access-Control-Allow-Methods']).replace(/'/g, '').split(',')).toContain('POST');
    expect(textOf(headers['method.response.header.Access-Control-Allow-Headers']).replace(/'/g, '').split(',')).toEqual(
      expect.arrayContaining(['Content-Type', 'Authorization']),
    );
    expect(textOf(headers['method.response.header.Access-Control-Allow-Origin'])).toBe("'https://${WebsiteDistribution.DomainName}'");
  });

  test.each([
    { variable: 'CLICKS_STREAM', text: STREAM_NAME },
    { variable: 'COGNITO_ISSUER', text: 'https://cognito-idp.${AWS::Region}.amazonaws.com/${CognitoUserPool}' },
    { variable: 'COGNITO_CLIENT_ID', text: '${CognitoUserPoolClient}' },
    { variable: 'FIREHOSE_ENDPOINT', text: '' },
    { variable: 'VISITOR_SALTS_TABLE', text: 'mysfits-prod-visitor-salts' },
  ])('recordClicks gets $variable = "$text"', ({ variable, text }) => {
    // Arrange
    const variables = at(properties(template, 'RecordClicksLambdaFunction'), 'Environment', 'Variables') as Record<string, unknown>;
    // Act
    const value = variables[variable];
    // Assert
    expect(value).toBeDefined();
    // (The user pool is the stack's own unless one is adopted: userPoolId, tested with the lifecycle.)
    expect(textOf(chosen(template, value))).toBe(text);
  });

  test("the issuer is a Fn::Sub of the user pool (the stack's, or the adopted one), and the client a Ref of its app client", () => {
    // Arrange / Act
    const variables = at(properties(template, 'RecordClicksLambdaFunction'), 'Environment', 'Variables') as Record<string, unknown>;
    // Assert
    expect(variables.COGNITO_ISSUER).toEqual({
      'Fn::Sub': [
        'https://cognito-idp.${AWS::Region}.amazonaws.com/${PoolId}',
        { PoolId: { 'Fn::If': ['CreateUserPool', { Ref: 'CognitoUserPool' }, ''] } },
      ],
    });
    expect(variables.COGNITO_CLIENT_ID).toEqual({ Ref: 'CognitoUserPoolClient' });
  });

  test('CLICKS_STREAM names the stream the template defines', () => {
    // Arrange / Act
    const variables = at(properties(template, 'RecordClicksLambdaFunction'), 'Environment', 'Variables') as Record<string, unknown>;
    // Assert
    expect(variables.CLICKS_STREAM).toBe(properties(template, 'ClicksDeliveryStream').DeliveryStreamName);
  });

  test("enrichClicks has no route and no resource policy: only the stream's role invokes it", () => {
    // Arrange
    const refersToEnrich = (value: unknown) => JSON.stringify(value).includes('EnrichClicksLambdaFunction');
    // Act
    const methods = resourcesOfType(template, 'AWS::ApiGateway::Method').filter(([, m]) => refersToEnrich(m.Properties?.Integration));
    const permissions = resourcesOfType(template, 'AWS::Lambda::Permission').filter(([, p]) => refersToEnrich(p.Properties?.FunctionName));
    // Assert
    expect(methods).toEqual([]);
    expect(permissions).toEqual([]);
  });
});

// ------------------------------------------------------------------ the delivery stream

describe('the delivery stream', () => {
  test('takes direct puts, encrypted, and delivers to the clicks bucket with its own role', () => {
    // Arrange / Act
    const props = properties(template, 'ClicksDeliveryStream');
    // Assert
    expect(resource(template, 'ClicksDeliveryStream').Type).toBe('AWS::KinesisFirehose::DeliveryStream');
    expect(props.DeliveryStreamName).toBe(STREAM_NAME);
    expect(props.DeliveryStreamType).toBe('DirectPut');
    expect(props.DeliveryStreamEncryptionConfigurationInput).toEqual({
      KeyType: expect.stringMatching(/^(AWS_OWNED_CMK|CUSTOMER_MANAGED_CMK)$/),
    });
    expect(destination().BucketARN).toEqual({ 'Fn::GetAtt': ['ClicksBucket', 'Arn'] });
    expect(destination().RoleARN).toEqual({ 'Fn::GetAtt': ['ClicksFirehoseRole', 'Arn'] });
  });

  test('writes clicks under clicks/, partitioned by year, month and day of arrival', () => {
    // Arrange / Act
    const prefix = destination().Prefix;
    // Assert
    expect(prefix).toBe('clicks/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/');
  });

  test('writes failures under errors/, by error type and date, outside clicks/ (so the table never reads them)', () => {
    // Arrange / Act
    const errorPrefix = String(destination().ErrorOutputPrefix);
    // Assert
    expect(errorPrefix).toBe('errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/');
    expect(errorPrefix.startsWith('clicks/')).toBe(false);
  });

  test('runs every buffer through enrichClicks (a Lambda processor)', () => {
    // Arrange
    const processing = destination().ProcessingConfiguration as {
      Enabled: boolean;
      Processors: Array<{ Type: string; Parameters: Array<{ ParameterName: string; ParameterValue: unknown }> }>;
    };
    // Act
    const [processor] = processing.Processors;
    const parameters = Object.fromEntries((processor?.Parameters ?? []).map((p) => [p.ParameterName, p.ParameterValue]));
    // Assert
    expect(processing.Enabled).toBe(true);
    expect(processing.Processors).toHaveLength(1);
    expect(processor?.Type).toBe('Lambda');
    expect(parameters.LambdaArn).toEqual({ 'Fn::GetAtt': ['EnrichClicksLambdaFunction', 'Arn'] });
    expect(String(parameters.BufferIntervalInSeconds)).toBe(String(PROD.clicksBufferSeconds));
    // Firehose invokes the function synchronously: its payload limit is 6 MB.
    expect(Number(parameters.BufferSizeInMBs)).toBeLessThanOrEqual(6);
  });

  test('buffers for the prod interval', () => {
    // Arrange / Act
    const hints = destination().BufferingHints as { IntervalInSeconds: unknown; SizeInMBs: unknown };
    // Assert
    expect(String(hints.IntervalInSeconds)).toBe(String(PROD.clicksBufferSeconds));
    expect(Number(hints.SizeInMBs)).toBeGreaterThan(0);
  });

  test("the transformation can finish within Firehose's 5-minute invocation limit", () => {
    // Arrange / Act
    const timeout = Number(properties(template, 'EnrichClicksLambdaFunction').Timeout);
    // Assert
    expect(timeout).toBeGreaterThan(0);
    expect(timeout).toBeLessThanOrEqual(300);
  });
});

// ------------------------------------------------------------------ the bucket

describe('the clicks bucket', () => {
  test.each([
    {
      what: 'blocks every kind of public access',
      path: ['PublicAccessBlockConfiguration'],
      expected: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    },
    {
      what: 'encrypts every object at rest',
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
      what: 'owns every object (ACLs off)',
      path: ['OwnershipControls'],
      expected: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    },
    { what: 'has no canned ACL', path: ['AccessControl'], expected: undefined },
    { what: 'is not a website endpoint', path: ['WebsiteConfiguration'], expected: undefined },
  ])('$what', ({ path, expected }) => {
    // Arrange
    const props = properties(template, 'ClicksBucket');
    // Act
    const value = at(props, ...path);
    // Assert
    expect(value).toEqual(expected);
  });

  test('has exactly one policy, which only denies requests over plain HTTP, to the bucket and its objects', () => {
    // Arrange
    const policies = resourcesOfType(template, 'AWS::S3::BucketPolicy').filter(
      ([, p]) => textOf(p.Properties?.Bucket) === '${ClicksBucket}',
    );
    // Act
    const statements = at(properties(template, 'ClicksBucketPolicy'), 'PolicyDocument', 'Statement') as Statement[];
    // Assert
    expect(policies.map(([id]) => id)).toEqual(['ClicksBucketPolicy']);
    expect(statements).toHaveLength(1);
    const [deny] = statements;
    expect(deny?.Effect).toBe('Deny');
    expect(deny?.Principal).toBe('*');
    expect([deny?.Action].flat()).toEqual(['s3:*']);
    expect(normalise(deny!).Resource).toEqual(['${ClicksBucket.Arn}', '${ClicksBucket.Arn}/*']);
    expect(deny?.Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
  });

  test("expires Athena's query results, and nothing else", () => {
    // Arrange / Act
    const rules = at(properties(template, 'ClicksBucket'), 'LifecycleConfiguration', 'Rules') as Array<Record<string, unknown>>;
    // Assert
    expect(rules).toEqual([
      expect.objectContaining({ Status: 'Enabled', Prefix: 'athena-results/', ExpirationInDays: expect.any(Number) }),
    ]);
  });
});

// ------------------------------------------------------------------ Glue and Athena

/** Every field a stored click can have: POST /clicks's record of a mysfit click and of a filter, and what enrichClicks adds. */
const STORED_FIELDS = [
  ...Object.keys(
    toClickRecord({ action: 'view', mysfitId: 'id', at: '2026-11-27T14:04:51.250Z' }, { userId: 'u', signedIn: true }, new Date()),
  ),
  ...Object.keys(
    toClickRecord(
      { action: 'filter', filter: 'GoodEvil', value: 'Evil', at: '2026-11-27T14:04:51.250Z' },
      { userId: 'u', signedIn: true },
      new Date(),
    ),
  ),
  // shared/enrichment.ts MysfitAttributes
  'name',
  'species',
  'goodevil',
  'lawchaos',
];

describe('the Glue database and table', () => {
  test('the database is in this account, with a name Athena accepts (lower case, underscores)', () => {
    // Arrange / Act
    const props = properties(template, 'ClicksDatabase');
    // Assert
    expect(resource(template, 'ClicksDatabase').Type).toBe('AWS::Glue::Database');
    expect(props.CatalogId).toEqual({ Ref: 'AWS::AccountId' });
    expect(at(props, 'DatabaseInput', 'Name')).toBe('mysfits_prod_clicks');
  });

  test("the table is an external JSON table in that database, over the bucket's clicks/ prefix", () => {
    // Arrange / Act
    const props = properties(template, 'ClicksTable');
    const input = tableInput();
    // Assert
    expect(resource(template, 'ClicksTable').Type).toBe('AWS::Glue::Table');
    expect(props.CatalogId).toEqual({ Ref: 'AWS::AccountId' });
    expect(props.DatabaseName).toEqual({ Ref: 'ClicksDatabase' });
    expect(input.Name).toBe('clicks');
    expect(input.TableType).toBe('EXTERNAL_TABLE');
    expect(at(input, 'Parameters', 'classification')).toBe('json');
    expect(at(input, 'StorageDescriptor', 'Location')).toEqual({ 'Fn::Sub': 's3://${ClicksBucket}/clicks/' });
    expect(at(input, 'StorageDescriptor', 'InputFormat')).toBe('org.apache.hadoop.mapred.TextInputFormat');
    expect(at(input, 'StorageDescriptor', 'OutputFormat')).toBe('org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat');
    expect(at(input, 'StorageDescriptor', 'SerdeInfo', 'SerializationLibrary')).toBe('org.openx.data.jsonserde.JsonSerDe');
  });

  test('the columns are the fields of a stored click (lower case, as the JSON SerDe matches them)', () => {
    // Arrange
    const columns = at(tableInput(), 'StorageDescriptor', 'Columns') as Array<{ Name: string; Type: string }>;
    // Act
    const names = columns.map((c) => c.Name);
    // Assert
    expect(columns).toEqual([
      { Name: 'eventtime', Type: 'string' },
      { Name: 'receivedat', Type: 'string' },
      { Name: 'userid', Type: 'string' },
      { Name: 'signedin', Type: 'boolean' },
      { Name: 'action', Type: 'string' },
      { Name: 'mysfitid', Type: 'string' },
      { Name: 'name', Type: 'string' },
      { Name: 'species', Type: 'string' },
      { Name: 'goodevil', Type: 'string' },
      { Name: 'lawchaos', Type: 'string' },
      { Name: 'filter', Type: 'string' },
      { Name: 'value', Type: 'string' },
    ]);
    expect([...new Set(STORED_FIELDS.map((field) => field.toLowerCase()))].sort()).toEqual([...names].sort());
  });

  test("the columns are generated from the stored click's schema, the one the local report's view is typed by", () => {
    // Arrange
    const columns = at(tableInput(), 'StorageDescriptor', 'Columns');
    const fields = Object.keys(storedClickSchema._zod.def.shape);
    // Act
    const fromSchema = clickColumns().map((c) => ({ Name: c.name, Type: c.glueType }));
    // Assert
    expect(columns).toEqual(fromSchema);
    expect(fromSchema.map((c) => c.Name)).toEqual(fields.map((field) => field.toLowerCase()));
    expect(
      clickColumns()
        .filter((c) => c.glueType === 'boolean')
        .map((c) => c.field),
    ).toEqual(['signedIn']);
    expect([...new Set(STORED_FIELDS)].sort()).toEqual([...fields].sort());
  });

  test('it is partitioned by year, month and day (strings)', () => {
    // Arrange / Act
    const keys = tableInput().PartitionKeys;
    // Assert
    expect(keys).toEqual([
      { Name: 'year', Type: 'string' },
      { Name: 'month', Type: 'string' },
      { Name: 'day', Type: 'string' },
    ]);
  });

  test.each([
    ['projection.enabled', 'true'],
    ['projection.year.type', 'integer'],
    ['projection.year.range', '2024,2099'],
    ['projection.month.type', 'integer'],
    ['projection.month.range', '1,12'],
    ['projection.month.digits', '2'],
    ['projection.day.type', 'integer'],
    ['projection.day.range', '1,31'],
    ['projection.day.digits', '2'],
  ])('partition projection: %s = %s', (name, value) => {
    // Arrange / Act
    const parameters = tableInput().Parameters as Record<string, unknown>;
    // Assert
    expect(String(parameters[name])).toBe(value);
  });

  test("the projected location is the stream's prefix, with the same zero-padded partitions", () => {
    // Arrange
    const projected = at(tableInput(), 'Parameters', 'storage.location.template');
    // Act: Firehose's !{timestamp:yyyy|MM|dd} are the projected ${year}, ${month}, ${day} (MM and dd have two digits).
    const streamLayout = String(destination().Prefix)
      .replace('!{timestamp:yyyy}', '${!year}')
      .replace('!{timestamp:MM}', '${!month}')
      .replace('!{timestamp:dd}', '${!day}');
    // Assert
    expect(projected).toEqual({ 'Fn::Sub': 's3://${ClicksBucket}/clicks/year=${!year}/month=${!month}/day=${!day}/' });
    expect(projected).toEqual({ 'Fn::Sub': `s3://\${ClicksBucket}/${streamLayout}` });
  });
});

describe("the Athena named queries: the report's SQL files", () => {
  /** The files as written: name (without its NN- order and .sql) -> text. */
  const files = () =>
    new Map(
      readdirSync(QUERIES_DIR)
        .filter((file) => file.endsWith('.sql'))
        .map((file) => [file.replace(/^\d\d-/, '').replace(/\.sql$/, ''), readFileSync(join(QUERIES_DIR, file), 'utf8')]),
    );

  test('there is one named query per file of queries/, its text exactly the file', () => {
    // Arrange
    const expected = files();
    // Act
    const named = resourcesOfType(template, 'AWS::Athena::NamedQuery').map(([, r]) => r.Properties as Record<string, unknown>);
    // Assert
    expect(expected.size).toBeGreaterThan(0);
    expect(new Map(named.map((props) => [props.Name, props.QueryString]))).toEqual(expected);
  });

  test.each([...files().keys()])('%s runs in the clicks workgroup, on the clicks database, and says what it answers', (name) => {
    // Arrange
    const [id, query] = resourcesOfType(template, 'AWS::Athena::NamedQuery').find(([, r]) => r.Properties?.Name === name) ?? [];
    // Act
    const props = query?.Properties as Record<string, unknown>;
    // Assert
    expect(id).toMatch(/^ClicksQuery[A-Z][A-Za-z]+$/);
    expect(props.WorkGroup).toEqual({ Ref: 'ClicksWorkGroup' });
    expect(props.Database).toEqual({ Ref: 'ClicksDatabase' });
    expect(String(props.Description)).toMatch(/^[A-Z].*Parameters: 1\. the first day, 2\. the last day/);
    expect(String(props.Description).length).toBeLessThanOrEqual(1024);
  });
});

describe('the Athena workgroup', () => {
  test("writes results, encrypted, to the bucket's athena-results/ (outside clicks/), and clients cannot override it", () => {
    // Arrange / Act
    const props = properties(template, 'ClicksWorkGroup');
    const config = props.WorkGroupConfiguration as Record<string, unknown>;
    // Assert
    expect(resource(template, 'ClicksWorkGroup').Type).toBe('AWS::Athena::WorkGroup');
    expect(props.Name).toBe(STREAM_NAME);
    expect(config.EnforceWorkGroupConfiguration).toBe(true);
    expect(at(config, 'ResultConfiguration', 'OutputLocation')).toEqual({ 'Fn::Sub': 's3://${ClicksBucket}/athena-results/' });
    expect(at(config, 'ResultConfiguration', 'EncryptionConfiguration', 'EncryptionOption')).toEqual(
      expect.stringMatching(/^(SSE_S3|SSE_KMS|CSE_KMS)$/),
    );
  });
});

// ------------------------------------------------------------------ roles

const logs = (fn: string) => allow(['logs:CreateLogStream', 'logs:PutLogEvents'], [`\${${fn}LogGroup.Arn}`]);

const ROLES = [
  {
    role: 'RecordClicksRole',
    trustedBy: 'lambda.amazonaws.com',
    statements: [
      logs('RecordClicks'),
      XRAY_STATEMENT,
      allow(['firehose:PutRecordBatch'], ['${ClicksDeliveryStream.Arn}']),
      allow(['dynamodb:GetItem', 'dynamodb:PutItem'], ['${VisitorSaltsTable.Arn}']),
    ],
  },
  {
    role: 'EnrichClicksRole',
    trustedBy: 'lambda.amazonaws.com',
    statements: [
      logs('EnrichClicks'),
      XRAY_STATEMENT,
      allow(['dynamodb:BatchGetItem'], [`arn:\${AWS::Partition}:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/${MYSFITS_TABLE}`]),
    ],
  },
  {
    role: 'ClicksFirehoseRole',
    trustedBy: 'firehose.amazonaws.com',
    statements: [
      allow(
        [
          's3:AbortMultipartUpload',
          's3:GetBucketLocation',
          's3:GetObject',
          's3:ListBucket',
          's3:ListBucketMultipartUploads',
          's3:PutObject',
        ],
        ['${ClicksBucket.Arn}', '${ClicksBucket.Arn}/*'],
      ),
      allow(
        ['lambda:InvokeFunction', 'lambda:GetFunctionConfiguration'],
        ['${EnrichClicksLambdaFunction.Arn}', '${EnrichClicksLambdaFunction.Arn}:*'],
      ),
    ],
  },
];

describe("the clickstream's roles", () => {
  test.each(ROLES)('$role allows exactly what its part does', ({ role, statements }) => {
    // Arrange
    const expected = [...statements].sort(byJson);
    // Act
    const actual = statementsOf(role).map(normalise).sort(byJson);
    // Assert
    expect(actual).toEqual(expected);
  });

  test.each(ROLES)('$role can be assumed by $trustedBy only, and has no managed policies', ({ role, trustedBy }) => {
    // Arrange / Act
    const props = roleOf(role);
    const [trust] = props.AssumeRolePolicyDocument.Statement;
    // Assert
    expect(props.AssumeRolePolicyDocument.Statement).toHaveLength(1);
    expect(trust).toMatchObject({ Effect: 'Allow', Principal: { Service: trustedBy }, Action: 'sts:AssumeRole' });
    expect(props.ManagedPolicyArns).toBeUndefined();
  });

  test('Firehose may assume its role only for this account (sts:ExternalId), against the confused deputy', () => {
    // Arrange / Act
    const [trust] = roleOf('ClicksFirehoseRole').AssumeRolePolicyDocument.Statement;
    // Assert
    expect(trust?.Condition).toEqual({ StringEquals: { 'sts:ExternalId': { Ref: 'AWS::AccountId' } } });
  });

  test.each(ROLES)('$role has no wildcard action and no wildcard resource', ({ role, trustedBy }) => {
    // Arrange
    // (A function's role may also send its traces: the one '*' resource, tested with the functions.)
    const all = statementsOf(role);
    const statements = trustedBy === 'lambda.amazonaws.com' ? withoutXRay(all, normalise) : all;
    // Act
    const actions = statements.flatMap((s) => [s.Action].flat());
    const resources = statements.flatMap((s) => [s.Resource].flat().map(textOf));
    // Assert
    expect(statements.length).toBeGreaterThan(0);
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
    // Only the objects of one bucket (<arn>/*) and the versions of one function (<arn>:*) may end in a wildcard.
    expect(resources.filter((r) => r.includes('*') && !/^\$\{\w+\.Arn\}(\/|:)\*$/.test(r))).toEqual([]);
    expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
  });

  test.each([
    ['recordClicks', 'RecordClicks'],
    ['enrichClicks', 'EnrichClicks'],
  ])('%s runs with its own role and writes to its own log group', (fn, prefix) => {
    // Arrange
    const props = properties(template, `${prefix}LambdaFunction`);
    // Act
    const logGroup = properties(template, `${prefix}LogGroup`);
    // Assert
    expect(props.Role).toEqual({ 'Fn::GetAtt': [`${prefix}Role`, 'Arn'] });
    expect(props.FunctionName).toBe(`mysfits-prod-${fn}`);
    expect(logGroup.LogGroupName).toBe(`/aws/lambda/mysfits-prod-${fn}`);
  });

  test('enrichClicks reads the table its role allows', () => {
    // Arrange / Act
    const variables = at(properties(template, 'EnrichClicksLambdaFunction'), 'Environment', 'Variables') as Record<string, unknown>;
    // Assert
    expect(variables.MYSFITS_TABLE).toBe(MYSFITS_TABLE);
  });
});

// ------------------------------------------------------------------ outputs

describe('outputs', () => {
  test.each([
    { output: 'ClicksBucketName', id: 'ClicksBucket' },
    { output: 'ClicksDeliveryStreamName', id: 'ClicksDeliveryStream' },
    { output: 'ClicksDatabaseName', id: 'ClicksDatabase' },
    { output: 'ClicksWorkGroupName', id: 'ClicksWorkGroup' },
  ])('$output is a Ref of $id, for the report and Athena', ({ output, id }) => {
    // Arrange / Act
    const value = template.Outputs?.[output]?.Value;
    // Assert
    expect(value).toEqual({ Ref: id });
    expect(resource(template, id)).toBeDefined();
  });
});
