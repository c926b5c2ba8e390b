/**
 * infra/website.js, the plugin that publishes the website: after a deploy (and on `serverless website`) it builds
 * web/dist, uploads it with a config.json from the stack's outputs and invalidates CloudFront; before a remove it empties
 * the bucket. The build is real (npm run build:web, about a second); S3, CloudFront and CloudFormation are mocked.
 */
import * as childProcess from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, S3Client, type PutObjectCommandInput } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import Website from '../../../infra/website';
import { PROJECT_ROOT } from '../../../dev/paths';

// The real build, watched: the local stage must not even build.
jest.mock('node:child_process', () => {
  const actual = jest.requireActual<typeof import('node:child_process')>('node:child_process');
  return { ...actual, execFileSync: jest.fn(actual.execFileSync) };
});
const execFileSync = jest.mocked(childProcess.execFileSync);

const s3 = mockClient(S3Client);
const cloudFront = mockClient(CloudFrontClient);
const cloudFormation = mockClient(CloudFormationClient);

const STACK = 'mysfits-prod';
const CREDENTIALS = { accessKeyId: 'x', secretAccessKey: 'y' };
const WEB_DIST = join(PROJECT_ROOT, 'web', 'dist');
/** Not serverless.yml's policy: config.json must carry the one the service object holds. */
const PASSWORD_POLICY = {
  MinimumLength: 12,
  RequireLowercase: true,
  RequireUppercase: false,
  RequireNumbers: true,
  RequireSymbols: true,
  TemporaryPasswordValidityDays: 7,
};
const OUTPUTS = {
  ApiUrl: 'https://abc123defg.execute-api.us-east-1.amazonaws.com/prod',
  Region: 'us-east-1',
  UserPoolId: 'us-east-1_AbCdEf123',
  UserPoolClientId: '1example23456789abcdefghij',
  WebsiteUrl: 'https://d111111abcdef8.cloudfront.net',
  WebsiteBucketName: 'mysfits-prod-websitebucket-1a2b3c4d5e6f',
  WebsiteDistributionId: 'E2EXAMPLE12345',
};
type OutputName = keyof typeof OUTPUTS;

/** DescribeStacks' answer for the stack with these outputs. */
function stackWith(outputs: Partial<Record<OutputName, string>>) {
  return {
    Stacks: [
      {
        StackName: STACK,
        StackStatus: 'UPDATE_COMPLETE' as const,
        CreationTime: new Date('2026-11-01T10:00:00.000Z'),
        Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
      },
    ],
  };
}

/** The plugin as the framework makes it for `stage`, with a provider that hands out mocked clients. */
function pluginFor(stage: string) {
  const provider = {
    getStage: () => stage,
    getAwsSdkV3Config: jest.fn(async () => ({ region: 'us-east-1', credentials: CREDENTIALS })),
    getCloudFormationClient: jest.fn(async () => new CloudFormationClient({ region: 'us-east-1', credentials: CREDENTIALS })),
    naming: { getStackName: () => STACK },
  };
  const serverless = {
    service: { resources: { Resources: { CognitoUserPool: { Properties: { Policies: { PasswordPolicy: PASSWORD_POLICY } } } } } },
    serviceDir: PROJECT_ROOT,
    cli: { log: jest.fn() },
    getProvider: jest.fn(() => provider),
  };
  return { website: new Website(serverless, {}), serverless, provider };
}

function resetMocks(): void {
  s3.reset();
  cloudFront.reset();
  cloudFormation.reset();
  execFileSync.mockClear();
}

/** Every file under `dir`, as S3 keys relative to it. */
function keysUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? keysUnder(path).map((key) => `${name}/${key}`) : [name];
  });
}

const uploadsSent = (): PutObjectCommandInput[] => s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);

// ------------------------------------------------------------------ publish

describe('publish() on a deployed stage', () => {
  /** What happened, in order: the uploads (by key) and the invalidation. */
  const events: string[] = [];
  let uploads: Map<string, PutObjectCommandInput>;
  let plugin: ReturnType<typeof pluginFor>;

  beforeAll(async () => {
    // Arrange
    resetMocks();
    cloudFormation.on(DescribeStacksCommand).resolves(stackWith(OUTPUTS));
    s3.on(PutObjectCommand).callsFake((input: PutObjectCommandInput) => {
      events.push(`put ${input.Key}`);
      return {};
    });
    // The bucket as an earlier build left it: one file this build no longer has.
    s3.on(ListObjectsV2Command).resolves({
      Contents: [{ Key: 'index.html' }, { Key: 'app.js' }, { Key: 'old-chunk.js' }],
      IsTruncated: false,
    });
    s3.on(DeleteObjectsCommand).callsFake((input: { Delete: { Objects: Array<{ Key: string }> } }) => {
      events.push(`delete ${input.Delete.Objects.map((o) => o.Key).join(',')}`);
      return { Deleted: input.Delete.Objects };
    });
    cloudFront.on(CreateInvalidationCommand).callsFake(() => {
      events.push('invalidate');
      return {
        Location: 'https://cloudfront.amazonaws.com/invalidation/I1',
        Invalidation: {
          Id: 'I1',
          Status: 'InProgress',
          CreateTime: new Date(),
          InvalidationBatch: { CallerReference: 'r', Paths: { Quantity: 1, Items: ['/*'] } },
        },
      };
    });
    plugin = pluginFor('prod');
    // Act
    await plugin.website.publish();
    uploads = new Map(uploadsSent().map((input) => [String(input.Key), input]));
  }, 60_000);

  test('builds the site first, with npm run build:web in the service directory', () => {
    // Arrange / Act: publish() in beforeAll
    const builds = execFileSync.mock.calls;
    // Assert
    expect(builds).toHaveLength(1);
    expect(builds[0]?.[0]).toBe('npm');
    expect(builds[0]?.[1]).toEqual(expect.arrayContaining(['run', 'build:web']));
    expect(builds[0]?.[2]).toEqual(expect.objectContaining({ cwd: PROJECT_ROOT }));
  });

  test("reads the outputs of this stage's stack", () => {
    // Arrange / Act: publish() in beforeAll
    // Assert
    expect(plugin.serverless.getProvider).toHaveBeenCalledWith('aws');
    expect(cloudFormation).toHaveReceivedCommandWith(DescribeStacksCommand, { StackName: STACK });
  });

  test('uploads every file of web/dist but the source maps, byte for byte, plus config.json, each once, to the website bucket', () => {
    // Arrange
    const distKeys = keysUnder(WEB_DIST).filter((key) => !key.endsWith('.map'));
    // Act
    const sent = uploadsSent();
    // Assert
    expect(distKeys).toContain('index.html');
    expect(sent.map((input) => input.Key).sort()).toEqual([...distKeys, 'config.json'].sort());
    expect(new Set(sent.map((input) => input.Bucket))).toEqual(new Set([OUTPUTS.WebsiteBucketName]));
    for (const key of distKeys) {
      expect(Buffer.compare(uploads.get(key)?.Body as Buffer, readFileSync(join(WEB_DIST, ...key.split('/'))))).toBe(0);
    }
  });

  test.each([
    { key: 'index.html', contentType: 'text/html; charset=utf-8' },
    { key: 'config.json', contentType: 'application/json' },
    { key: 'app.js', contentType: 'text/javascript; charset=utf-8' },
    { key: 'styles.css', contentType: 'text/css; charset=utf-8' },
    { key: 'placeholder.svg', contentType: 'image/svg+xml' },
  ])(
    '$key is sent as $contentType, revalidated by browsers on every load (never an old script with a new page)',
    ({ key, contentType }) => {
      // Arrange / Act
      const upload = uploads.get(key);
      // Assert
      expect(upload?.ContentType).toBe(contentType);
      expect(upload?.CacheControl).toBe('no-cache');
    },
  );

  test('the source maps stay on the build machine', () => {
    expect([...uploads.keys()].filter((key) => key.endsWith('.map'))).toEqual([]);
  });

  test('files an earlier build left, and this one has not, are deleted before the invalidation', () => {
    expect(events.filter((event) => event.startsWith('delete'))).toEqual(['delete old-chunk.js']);
    expect(events.indexOf('delete old-chunk.js')).toBeLessThan(events.indexOf('invalidate'));
  });

  test('no file goes up without a content type of its own', () => {
    // Arrange / Act
    const untyped = uploadsSent().filter((input) => !input.ContentType || input.ContentType === 'application/octet-stream');
    // Assert
    expect(untyped.map((input) => input.Key)).toEqual([]);
  });

  test('config.json tells the page the API, the region, the user pool and its client, SRP, and the password policy', () => {
    // Arrange
    const body = uploads.get('config.json')?.Body as Buffer;
    // Act
    const config: unknown = JSON.parse(body.toString('utf8'));
    // Assert
    expect(config).toEqual({
      apiUrl: OUTPUTS.ApiUrl,
      region: OUTPUTS.Region,
      userPoolId: OUTPUTS.UserPoolId,
      userPoolClientId: OUTPUTS.UserPoolClientId,
      passwordPolicy: PASSWORD_POLICY,
    });
  });

  test("then invalidates everything (/*) on the stack's distribution, once, after the last upload", () => {
    // Arrange / Act: publish() in beforeAll
    // Assert
    expect(cloudFront).toHaveReceivedCommandTimes(CreateInvalidationCommand, 1);
    expect(cloudFront).toHaveReceivedCommandWith(CreateInvalidationCommand, {
      DistributionId: OUTPUTS.WebsiteDistributionId,
      InvalidationBatch: { CallerReference: expect.any(String), Paths: { Quantity: 1, Items: ['/*'] } },
    });
    expect(events.at(-1)).toBe('invalidate');
    expect(events.filter((event) => event === 'invalidate')).toHaveLength(1);
  });

  test('says where the site is', () => {
    // Arrange / Act: publish() in beforeAll
    // Assert
    expect(plugin.serverless.cli.log).toHaveBeenCalledWith(expect.stringContaining(OUTPUTS.WebsiteUrl));
  });
});

describe('publish() with an output missing from the stack', () => {
  beforeEach(resetMocks);

  test.each([
    { missing: 'ApiUrl', error: /no ApiUrl output/ },
    { missing: 'Region', error: /no Region output/ },
    { missing: 'UserPoolId', error: /no UserPoolId output/ },
    { missing: 'UserPoolClientId', error: /no UserPoolClientId output/ },
    { missing: 'WebsiteBucketName', error: /no website bucket or distribution output/ },
    { missing: 'WebsiteDistributionId', error: /no website bucket or distribution output/ },
  ] as Array<{ missing: OutputName; error: RegExp }>)(
    'without $missing: fails saying so, and uploads nothing',
    async ({ missing, error }) => {
      // Arrange
      const outputs: Partial<typeof OUTPUTS> = { ...OUTPUTS };
      delete outputs[missing];
      cloudFormation.on(DescribeStacksCommand).resolves(stackWith(outputs));
      const { website } = pluginFor('prod');
      // Act
      const publishing = website.publish();
      // Assert
      await expect(publishing).rejects.toThrow(error);
      expect(s3.calls()).toHaveLength(0);
      expect(cloudFront.calls()).toHaveLength(0);
    },
    30_000,
  );
});

// ------------------------------------------------------------------ the local stage

describe('on the local stage (npm start serves the site itself)', () => {
  beforeEach(resetMocks);

  test.each(['after:deploy:deploy', 'website:publish', 'before:remove:remove'] as const)(
    '%s does nothing: no build, no AWS call',
    async (hook) => {
      // Arrange
      const { website, provider } = pluginFor('local');
      // Act
      await website.hooks[hook]();
      // Assert
      expect(execFileSync).not.toHaveBeenCalled();
      expect(provider.getAwsSdkV3Config).not.toHaveBeenCalled();
      expect(provider.getCloudFormationClient).not.toHaveBeenCalled();
      expect([...s3.calls(), ...cloudFront.calls(), ...cloudFormation.calls()]).toHaveLength(0);
    },
  );
});

// ------------------------------------------------------------------ emptyBucket

describe('emptyBucket() before a remove', () => {
  beforeEach(resetMocks);

  test('after emptying the website bucket it says what the remove keeps: the clicks bucket, the tables and the users', async () => {
    // Arrange
    const kept = {
      ClicksBucketName: 'mysfits-prod-clicksbucket-1a2b',
      MysfitsTableName: 'mysfits-prod-mysfits',
      UserActivityTableName: 'mysfits-prod-user-activity',
    };
    cloudFormation.on(DescribeStacksCommand).resolves(stackWith({ ...OUTPUTS, ...kept } as typeof OUTPUTS));
    s3.on(ListObjectsV2Command).resolves({ Contents: [], IsTruncated: false });
    const { website, serverless } = pluginFor('prod');
    // Act
    await website.emptyBucket();
    // Assert
    const said = jest.mocked(serverless.cli.log).mock.calls.map(([line]) => String(line));
    expect(said).toEqual([
      `Emptied the website bucket ${OUTPUTS.WebsiteBucketName}`,
      `Keeping the clicks bucket ${kept.ClicksBucketName} and its data, the tables ${kept.MysfitsTableName} and ${kept.UserActivityTableName}, ` +
        `the user pool ${OUTPUTS.UserPoolId}. To deploy over them again: README, "Remove and deploy again".`,
    ]);
  });

  test.each([
    { bucket: 'an empty bucket', pages: [[]] },
    { bucket: 'one page of objects', pages: [['index.html', 'app.js', 'config.json']] },
    { bucket: 'three pages of objects', pages: [['a/1.png', 'a/2.png'], ['b/1.png', 'b/2.png'], ['index.html']] },
  ])('$bucket: lists every page and deletes every object', async ({ pages }) => {
    // Arrange
    cloudFormation.on(DescribeStacksCommand).resolves(stackWith(OUTPUTS));
    let listing = s3.on(ListObjectsV2Command);
    pages.forEach((keys, i) => {
      const last = i === pages.length - 1;
      listing = listing.resolvesOnce({
        Contents: keys.map((Key) => ({ Key })),
        IsTruncated: !last,
        NextContinuationToken: last ? undefined : `token-${i + 1}`,
      });
    });
    // A listing past the last page would be empty: a loop that ignores IsTruncated still ends.
    listing.resolves({ Contents: [], IsTruncated: false });
    s3.on(DeleteObjectsCommand).resolves({});
    const { website } = pluginFor('prod');
    // Act
    await website.emptyBucket();
    // Assert
    const listed = s3.commandCalls(ListObjectsV2Command).map((call) => call.args[0].input);
    expect(listed).toEqual(
      pages.map((_keys, i) => ({ Bucket: OUTPUTS.WebsiteBucketName, ContinuationToken: i === 0 ? undefined : `token-${i}` })),
    );
    const deletes = s3.commandCalls(DeleteObjectsCommand).map((call) => call.args[0].input);
    expect(new Set(deletes.map((input) => input.Bucket))).toEqual(new Set(deletes.length ? [OUTPUTS.WebsiteBucketName] : []));
    const deleted = deletes.flatMap((input) => (input.Delete?.Objects ?? []).map((object) => object.Key));
    expect(deleted.sort()).toEqual(pages.flat().sort());
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });

  test('an object that cannot be deleted stops the remove with its key and code (not a false "emptied")', async () => {
    // Arrange
    cloudFormation.on(DescribeStacksCommand).resolves(stackWith(OUTPUTS));
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'index.html' }, { Key: 'app.js' }], IsTruncated: false });
    s3.on(DeleteObjectsCommand).resolves({ Errors: [{ Key: 'app.js', Code: 'AccessDenied', Message: 'Access Denied' }] });
    const { website, serverless } = pluginFor('prod');
    // Act
    const emptying = website.emptyBucket();
    // Assert
    await expect(emptying).rejects.toThrow(/app\.js \(AccessDenied\)/);
    expect(serverless.cli.log).not.toHaveBeenCalled();
  });

  test('a bucket that is already gone: nothing to empty, no error', async () => {
    // Arrange
    cloudFormation.on(DescribeStacksCommand).resolves(stackWith(OUTPUTS));
    s3.on(ListObjectsV2Command).rejects(Object.assign(new Error('The specified bucket does not exist'), { name: 'NoSuchBucket' }));
    const { website } = pluginFor('prod');
    // Act / Assert
    await expect(website.emptyBucket()).resolves.toBeUndefined();
    expect(s3).not.toHaveReceivedCommand(DeleteObjectsCommand);
  });

  test('a stack that does not exist: nothing to empty, no error, no S3 call', async () => {
    // Arrange
    const notFound = Object.assign(new Error(`Stack with id ${STACK} does not exist`), { name: 'ValidationError' });
    cloudFormation.on(DescribeStacksCommand).rejects(notFound);
    const { website } = pluginFor('prod');
    // Act
    const emptying = website.emptyBucket();
    // Assert
    await expect(emptying).resolves.toBeUndefined();
    expect(cloudFormation).toHaveReceivedCommandWith(DescribeStacksCommand, { StackName: STACK });
    expect(s3.calls()).toHaveLength(0);
  });

  test('a stack without the website (deployed before it): no S3 call', async () => {
    // Arrange
    const { ApiUrl, Region, UserPoolId, UserPoolClientId } = OUTPUTS;
    cloudFormation.on(DescribeStacksCommand).resolves(stackWith({ ApiUrl, Region, UserPoolId, UserPoolClientId }));
    const { website } = pluginFor('prod');
    // Act
    await website.emptyBucket();
    // Assert
    expect(s3.calls()).toHaveLength(0);
  });

  test('any other failure to read the stack stops the remove with that error', async () => {
    // Arrange
    const denied = Object.assign(new Error('User is not authorized to perform: cloudformation:DescribeStacks'), { name: 'AccessDenied' });
    cloudFormation.on(DescribeStacksCommand).rejects(denied);
    const { website } = pluginFor('prod');
    // Act
    const emptying = website.emptyBucket();
    // Assert
    await expect(emptying).rejects.toThrow(denied.message);
    expect(s3.calls()).toHaveLength(0);
  });
});

// ------------------------------------------------------------------ wiring

describe("the plugin's wiring", () => {
  test('registers exactly the deploy, website and remove hooks, and the `serverless website` command', () => {
    // Arrange / Act
    const { website } = pluginFor('prod');
    // Assert
    expect(Object.keys(website.hooks).sort()).toEqual(['after:deploy:deploy', 'before:remove:remove', 'website:publish']);
    expect(website.commands.website.lifecycleEvents).toEqual(['publish']);
  });

  test.each([
    { hook: 'after:deploy:deploy', method: 'publish' },
    { hook: 'website:publish', method: 'publish' },
    { hook: 'before:remove:remove', method: 'emptyBucket' },
  ] as const)('$hook runs $method()', async ({ hook, method }) => {
    // Arrange
    const { website } = pluginFor('prod');
    const publish = jest.spyOn(website, 'publish').mockResolvedValue(undefined);
    const emptyBucket = jest.spyOn(website, 'emptyBucket').mockResolvedValue(undefined);
    // Act
    await website.hooks[hook]();
    // Assert
    expect(publish).toHaveBeenCalledTimes(method === 'publish' ? 1 : 0);
    expect(emptyBucket).toHaveBeenCalledTimes(method === 'emptyBucket' ? 1 : 0);
  });
});
