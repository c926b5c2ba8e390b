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
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
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
  /** What happened, in order: the uploads (by key), the deletes and the invalidation. */
  const events: string[] = [];
  /** The most uploads in flight at once. */
  let mostInFlight = 0;
  let uploads: Map<string, PutObjectCommandInput>;
  let plugin: ReturnType<typeof pluginFor>;
  /** The build before this one: its manifest names what it published under assets/. */
  const PREVIOUS = ['assets/app.PREV1234.js', 'assets/styles.0123456789.css', 'assets/chimera.aaaaaaaaaa.svg'];
  const OLDER = ['assets/app.OLD12345.js', 'assets/chimera.bbbbbbbbbb.svg'];

  beforeAll(async () => {
    // Arrange
    resetMocks();
    cloudFormation
      .on(DescribeStacksCommand)
      .resolves(stackWith({ ...OUTPUTS, MysfitsTableName: 'mysfits-prod-mysfits' } as typeof OUTPUTS));
    let inFlight = 0;
    s3.on(PutObjectCommand).callsFake(async (input: PutObjectCommandInput) => {
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      events.push(`put ${input.Key}`);
      return {};
    });
    s3.on(GetObjectCommand, { Key: 'asset-manifest.json' }).resolves({
      Body: { transformToString: async () => JSON.stringify(PREVIOUS) } as never,
    });
    // The bucket as the earlier builds left it: the previous build, an older one, and a file of the old naming.
    s3.on(ListObjectsV2Command).resolves({
      Contents: ['index.html', 'config.json', 'asset-manifest.json', ...PREVIOUS, ...OLDER, 'app.js'].map((Key) => ({ Key })),
      IsTruncated: false,
    });
    s3.on(DeleteObjectsCommand).callsFake((input: { Delete: { Objects: Array<{ Key: string }> } }) => {
      events.push(`delete ${input.Delete.Objects.map((o) => o.Key).join(',')}`);
      return { Deleted: input.Delete.Objects };
    });
    cloudFront.on(CreateInvalidationCommand).callsFake(() => {
      events.push('invalidate');
      return {};
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

  test('uploads every file of web/dist but the source maps, byte for byte, plus config.json and the manifest, each once', () => {
    // Arrange
    const distKeys = keysUnder(WEB_DIST).filter((key) => !key.endsWith('.map'));
    // Act
    const sent = uploadsSent();
    // Assert
    expect(distKeys).toContain('index.html');
    expect(sent.map((input) => input.Key).sort()).toEqual([...distKeys, 'config.json', 'asset-manifest.json'].sort());
    expect(new Set(sent.map((input) => input.Bucket))).toEqual(new Set([OUTPUTS.WebsiteBucketName]));
    for (const key of distKeys) {
      expect(Buffer.compare(uploads.get(key)?.Body as Buffer, readFileSync(join(WEB_DIST, ...key.split('/'))))).toBe(0);
    }
  });

  test('every file but index.html is under assets/ with a content-hashed name: the script, the style, the pictures', () => {
    // Arrange
    const keys = [...uploads.keys()].filter((key) => key.startsWith('assets/'));
    // Act
    const kinds = keys.map((key) => /^assets\/([a-z]+)\.([0-9A-Za-z]{8,10})\.(js|css|svg)$/.exec(key)?.[3]);
    // Assert
    expect(kinds).not.toContain(undefined);
    expect(kinds.filter((kind) => kind === 'js')).toHaveLength(1);
    expect(kinds.filter((kind) => kind === 'css')).toHaveLength(1);
    expect(kinds.filter((kind) => kind === 'svg')).toHaveLength(13); // twelve mysfits and the placeholder
    const index = (uploads.get('index.html')?.Body as Buffer).toString('utf8');
    for (const key of keys.filter((k) => /\.(js|css)$/.test(k))) expect(index).toContain(`"/${key}"`);
  });

  test.each([
    { kind: 'index.html', pattern: /^index\.html$/, contentType: 'text/html; charset=utf-8', cache: 'no-cache' },
    { kind: 'config.json', pattern: /^config\.json$/, contentType: 'application/json', cache: 'no-cache' },
    { kind: 'the manifest', pattern: /^asset-manifest\.json$/, contentType: 'application/json', cache: 'no-cache' },
    {
      kind: 'the script',
      pattern: /^assets\/app\.\w+\.js$/,
      contentType: 'text/javascript; charset=utf-8',
      cache: 'public, max-age=31536000, immutable',
    },
    {
      kind: 'the style',
      pattern: /^assets\/styles\.\w+\.css$/,
      contentType: 'text/css; charset=utf-8',
      cache: 'public, max-age=31536000, immutable',
    },
    { kind: 'a picture', pattern: /^assets\/\w+\.\w+\.svg$/, contentType: 'image/svg+xml', cache: 'public, max-age=31536000, immutable' },
  ])('$kind is sent as $contentType with Cache-Control "$cache"', ({ pattern, contentType, cache }) => {
    // Arrange
    const matching = [...uploads.values()].filter((upload) => pattern.test(String(upload.Key)));
    // Act / Assert
    expect(matching.length).toBeGreaterThan(0);
    for (const upload of matching) {
      expect(upload.ContentType).toBe(contentType);
      expect(upload.CacheControl).toBe(cache);
    }
  });

  test('the source maps stay on the build machine', () => {
    expect([...uploads.keys()].filter((key) => key.endsWith('.map'))).toEqual([]);
  });

  test('order: every hashed file, then config.json, then index.html, then the manifest, then the clean-up, then the invalidation', () => {
    // Arrange
    const at = (event: string) => events.indexOf(event);
    const hashed = events.filter((event) => event.startsWith('put assets/'));
    // Act
    const lastHashed = Math.max(...hashed.map(at));
    // Assert
    expect(hashed.length).toBe(15);
    expect(lastHashed).toBeLessThan(at('put config.json'));
    expect(at('put config.json')).toBeLessThan(at('put index.html'));
    expect(at('put index.html')).toBeLessThan(at('put asset-manifest.json'));
    const firstDelete = events.findIndex((event) => event.startsWith('delete'));
    expect(at('put asset-manifest.json')).toBeLessThan(firstDelete);
    expect(firstDelete).toBeLessThan(at('invalidate'));
    expect(events.at(-1)).toBe('invalidate');
  });

  test('uploads run side by side, at most 8 at a time', () => {
    expect(mostInFlight).toBeGreaterThan(1);
    expect(mostInFlight).toBeLessThanOrEqual(8);
  });

  test("the previous build's hashed files stay (a page open during the deploy keeps working); older files go", () => {
    // Arrange / Act: publish() in beforeAll
    const deleted = events.filter((event) => event.startsWith('delete ')).flatMap((event) => event.slice('delete '.length).split(','));
    // Assert
    expect(deleted.sort()).toEqual([...OLDER, 'app.js'].sort());
  });

  test("the manifest names this build's hashed files, for the next publish to keep", () => {
    // Arrange
    const manifest: unknown = JSON.parse((uploads.get('asset-manifest.json')?.Body as Buffer).toString('utf8'));
    // Act
    const hashed = [...uploads.keys()].filter((key) => key.startsWith('assets/'));
    // Assert
    expect(manifest).toEqual(hashed.sort((a, b) => events.indexOf(`put ${a}`) - events.indexOf(`put ${b}`)));
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

  test("invalidates index.html (also as /) and config.json only, once, on the stack's distribution", () => {
    // Arrange / Act: publish() in beforeAll
    // Assert
    expect(cloudFront).toHaveReceivedCommandTimes(CreateInvalidationCommand, 1);
    expect(cloudFront).toHaveReceivedCommandWith(CreateInvalidationCommand, {
      DistributionId: OUTPUTS.WebsiteDistributionId,
      InvalidationBatch: { CallerReference: expect.any(String), Paths: { Quantity: 3, Items: ['/', '/index.html', '/config.json'] } },
    });
  });

  test('says where the site is, and the seed command that points the pictures at it', () => {
    // Arrange / Act: publish() in beforeAll
    // Assert
    expect(plugin.serverless.cli.log).toHaveBeenCalledWith(expect.stringContaining(OUTPUTS.WebsiteUrl));
    expect(plugin.serverless.cli.log).toHaveBeenCalledWith(
      `The mysfits' pictures are on this site: npm run seed -- --table mysfits-prod-mysfits --region us-east-1 --site ${OUTPUTS.WebsiteUrl}`,
    );
  });
});

describe('publish() onto a bucket with no manifest (a first publish)', () => {
  test('keeps nothing but what it published', async () => {
    // Arrange
    resetMocks();
    cloudFormation.on(DescribeStacksCommand).resolves(stackWith(OUTPUTS));
    s3.on(PutObjectCommand).resolves({});
    s3.on(GetObjectCommand).rejects(Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' }));
    s3.on(ListObjectsV2Command).resolves({
      Contents: [{ Key: 'app.js' }, { Key: 'styles.css' }, { Key: 'index.html' }],
      IsTruncated: false,
    });
    s3.on(DeleteObjectsCommand).resolves({});
    cloudFront.on(CreateInvalidationCommand).resolves({});
    // Act
    await pluginFor('prod').website.publish();
    // Assert
    const deleted = s3.commandCalls(DeleteObjectsCommand).flatMap((call) => (call.args[0].input.Delete?.Objects ?? []).map((o) => o.Key));
    expect(deleted.sort()).toEqual(['app.js', 'styles.css']);
  }, 60_000);
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
