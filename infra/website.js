'use strict';
/**
 * A small local Serverless plugin that publishes the website with the stack:
 * - after `serverless deploy`, and on `serverless website`: builds web/ (npm run build:web), writes its
 *   config.json from the stack's outputs, uploads both to the private website bucket, and invalidates CloudFront;
 *   the order keeps a page that is open during the deploy working (publish(), below);
 * - before `serverless remove`: empties the bucket, so CloudFormation can delete it.
 * Not on the local stage, where `npm start` serves the site itself.
 */
const { execFileSync } = require('node:child_process');
const { readdirSync, readFileSync } = require('node:fs');
const { extname, join, relative, sep } = require('node:path');
const { CloudFrontClient, CreateInvalidationCommand } = require('@aws-sdk/client-cloudfront');
const { DescribeStacksCommand } = require('@aws-sdk/client-cloudformation');
const { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } = require('@aws-sdk/client-s3');
const { ASSETS, cacheControl } = require('../web/assets.cjs');
const CONTENT_TYPES = require('../web/contentTypes.cjs');
const { siteConfig } = require('../web/siteConfig.cjs');

/** The list of a build's hashed files, kept in the bucket so that the next publish keeps them one build longer. */
const MANIFEST = 'asset-manifest.json';
/** Uploads in flight at once: enough to fill a link, few enough for a laptop's connection and S3's per-prefix rates. */
const CONCURRENCY = 8;

/**
 * Runs `task` on every item, at most `limit` at a time (a dozen lines, so no dependency for it).
 * @template T @param {T[]} items @param {number} limit @param {(item: T) => Promise<unknown>} task
 */
async function eachLimited(items, limit, task) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(/** @type {T} */ (items[next++]));
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * What the page reads as config.json, from the stack's outputs and the user pool's password policy.
 * @param {Record<string, string>} outputs
 * @param {unknown} passwordPolicy
 */
function configFromOutputs(outputs, passwordPolicy) {
  for (const name of ['ApiUrl', 'Region', 'UserPoolId', 'UserPoolClientId']) {
    if (!outputs[name]) throw new Error(`website: the stack has no ${name} output`);
  }
  return siteConfig({
    apiUrl: outputs.ApiUrl,
    region: outputs.Region,
    userPoolId: outputs.UserPoolId,
    userPoolClientId: outputs.UserPoolClientId,
    passwordPolicy,
  });
}

class Website {
  /** @param {any} serverless @param {Record<string, unknown>} options */
  constructor(serverless, options) {
    this.serverless = serverless;
    this.options = options;
    this.provider = serverless.getProvider('aws');
    this.commands = {
      website: { usage: "Builds the website and publishes it to the stage's bucket and CloudFront", lifecycleEvents: ['publish'] },
    };
    this.hooks = {
      'after:deploy:deploy': () => this.publish(),
      'website:publish': () => this.publish(),
      'before:remove:remove': () => this.emptyBucket(),
    };
  }

  /** @param {string} message */
  log(message) {
    this.serverless.cli.log(message);
  }

  isLocal() {
    return this.provider.getStage() === 'local';
  }

  async clientConfig() {
    return this.provider.getAwsSdkV3Config();
  }

  /** @returns {Promise<Record<string, string>>} */
  async outputs() {
    const cloudFormation = await this.provider.getCloudFormationClient();
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: this.provider.naming.getStackName() }));
    return Object.fromEntries(
      ((Stacks && Stacks[0] && Stacks[0].Outputs) || []).map((/** @type {any} */ o) => [o.OutputKey, o.OutputValue]),
    );
  }

  passwordPolicy() {
    const pool = this.serverless.service.resources.Resources.CognitoUserPool;
    return pool.Properties.Policies.PasswordPolicy;
  }

  build() {
    execFileSync('npm', ['run', '--silent', 'build:web'], { cwd: this.serverless.serviceDir, stdio: 'inherit' });
    return join(this.serverless.serviceDir, 'web', 'dist');
  }

  async publish() {
    if (this.isLocal()) return;
    const dist = this.build();
    const outputs = await this.outputs();
    const config = configFromOutputs(outputs, this.passwordPolicy());
    const bucket = outputs.WebsiteBucketName;
    if (!bucket || !outputs.WebsiteDistributionId) throw new Error('website: the stack has no website bucket or distribution outputs');

    const s3 = new S3Client(await this.clientConfig());
    // Source maps stay on the build machine: the site's source is not published.
    const files = readdirSync(dist, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name))
      .filter((path) => extname(path) !== '.map')
      .map((path) => ({ key: relative(dist, path).split(sep).join('/'), body: readFileSync(path) }));
    const assets = files.filter((file) => file.key.startsWith(`${ASSETS}/`));
    const pages = files.filter((file) => !file.key.startsWith(`${ASSETS}/`));
    const previous = await this.previousAssets(s3, bucket);
    /** @param {{ key: string, body: Buffer }} file */
    const upload = ({ key, body }) =>
      s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentType: CONTENT_TYPES[extname(key)] || 'application/octet-stream',
          // Hashed names for a year (a new content is a new name); index.html and config.json on every load.
          CacheControl: cacheControl(key),
        }),
      );
    // 1. The new build's hashed files, beside the old ones: nothing names them yet.
    await eachLimited(assets, CONCURRENCY, upload);
    // 2. config.json, then index.html: from here on a new visit loads the new build.
    await upload({ key: 'config.json', body: Buffer.from(JSON.stringify(config, null, 2)) });
    await eachLimited(pages, CONCURRENCY, upload);
    await upload({
      key: MANIFEST,
      body: Buffer.from(
        `${JSON.stringify(
          assets.map((file) => file.key),
          null,
          2,
        )}\n`,
      ),
    });
    // 3. Files older than the previous build: a page opened before this deploy still finds its own (they stay until
    //    the next one), and the mysfits' pictures of the previous build stay until the seed points at the new ones.
    const keep = new Set([...files.map((file) => file.key), 'config.json', MANIFEST, ...previous]);
    const removed = await this.deleteAllBut(s3, bucket, keep);
    // 4. Only what is never hashed can be stale at the edge ('/' is index.html as the default root object).
    const cloudFront = new CloudFrontClient(await this.clientConfig());
    const paths = ['/', '/index.html', '/config.json'];
    await cloudFront.send(
      new CreateInvalidationCommand({
        DistributionId: outputs.WebsiteDistributionId,
        InvalidationBatch: { CallerReference: `mysfits-${Date.now()}`, Paths: { Quantity: paths.length, Items: paths } },
      }),
    );
    const published = new Set(files.map((file) => file.key));
    const kept = previous.filter((key) => !published.has(key)).length;
    this.log(
      `Website published (${files.length + 1} files; ${kept} of the previous build kept, ${removed} older removed): ${outputs.WebsiteUrl}`,
    );
    if (outputs.MysfitsTableName) {
      this.log(
        `The mysfits' pictures are on this site: npm run seed -- --table ${outputs.MysfitsTableName} --region ${outputs.Region} --site ${outputs.WebsiteUrl}`,
      );
    }
  }

  /**
   * The hashed files of the build published before this one (its manifest), or none.
   * @param {S3Client} s3 @param {string} bucket @returns {Promise<string[]>}
   */
  async previousAssets(s3, bucket) {
    try {
      const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: MANIFEST }));
      const keys = JSON.parse(Body ? await Body.transformToString() : '[]');
      return Array.isArray(keys) ? keys.filter((key) => typeof key === 'string' && key.startsWith(`${ASSETS}/`)) : [];
    } catch (error) {
      const name = /** @type {Error} */ (error).name;
      if (name === 'NoSuchKey' || name === 'SyntaxError') return [];
      throw error;
    }
  }

  async emptyBucket() {
    if (this.isLocal()) return;
    let outputs;
    try {
      outputs = await this.outputs();
    } catch (error) {
      if (/does not exist/.test(/** @type {Error} */ (error).message)) return;
      throw error;
    }
    const kept = [
      outputs.ClicksBucketName && `the clicks bucket ${outputs.ClicksBucketName} and its data`,
      outputs.MysfitsTableName && `the tables ${[outputs.MysfitsTableName, outputs.UserActivityTableName].filter(Boolean).join(' and ')}`,
      outputs.UserPoolId && `the user pool ${outputs.UserPoolId}`,
    ].filter(Boolean);
    // Retained on purpose (DeletionPolicy Retain): say what stays, and how a later deploy takes it back (README).
    const sayKept = () => {
      if (kept.length > 0) this.log(`Keeping ${kept.join(', ')}. To deploy over them again: README, "Remove and deploy again".`);
    };
    const bucket = outputs.WebsiteBucketName;
    if (!bucket) return sayKept();
    const s3 = new S3Client(await this.clientConfig());
    try {
      await this.deleteAllBut(s3, bucket, new Set());
    } catch (error) {
      if (/** @type {Error} */ (error).name === 'NoSuchBucket') return;
      throw error;
    }
    this.log(`Emptied the website bucket ${bucket}`);
    sayKept();
  }

  /**
   * Deletes every object of the bucket whose key is not in `keep` (files an earlier build had and this one has not).
   * @param {S3Client} s3 @param {string} bucket @param {Set<string>} keep @returns {Promise<number>} how many
   */
  async deleteAllBut(s3, bucket, keep) {
    /** @type {string | undefined} */
    let token;
    let deleted = 0;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
      const objects = (page.Contents || []).filter((o) => o.Key && !keep.has(o.Key)).map((o) => ({ Key: o.Key }));
      if (objects.length > 0) {
        deleted += objects.length;
        const result = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
        const errors = result.Errors || [];
        if (errors.length > 0) {
          throw new Error(
            `website: could not delete ${errors.length} objects from ${bucket}: ${errors.map((e) => `${e.Key} (${e.Code})`).join(', ')}`,
          );
        }
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return deleted;
  }
}

module.exports = Website;
module.exports.siteConfig = configFromOutputs;
