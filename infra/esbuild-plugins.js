'use strict';
/**
 * esbuild plugins for the functions' bundles (serverless.yml, custom.esbuild.plugins; the bench builds with them too).
 * - sdkPackageVersion: each AWS SDK client imports its whole package.json only to put its version in the user agent
 *   (`packageInfo.version`): about 2 KB of JSON a client in every bundle. This hands the client its name and version
 *   alone. Should a client ever read another field, it gets undefined; the version stays exact.
 * - noEventStreams: the SDK's protocol code imports its event-stream serde lazily (`await import(...)`), for the
 *   operations that stream events; esbuild bundles it anyway, about 15 KB a function. No client here has such an
 *   operation (DynamoDB, Firehose), so that import gets a module that says so if it were ever reached.
 */
const { readFileSync } = require('node:fs');

/** @type {import('esbuild').Plugin} */
const sdkPackageVersion = {
  name: 'sdk-package-version',
  setup(build) {
    build.onLoad({ filter: /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]package\.json$/ }, (args) => {
      const { name, version } = JSON.parse(readFileSync(args.path, 'utf8'));
      return { contents: JSON.stringify({ name, version }), loader: 'json' };
    });
  },
};

/** @type {import('esbuild').Plugin} */
const noEventStreams = {
  name: 'no-event-streams',
  setup(build) {
    build.onResolve({ filter: /^@smithy\/core\/event-streams$/ }, (args) => ({ path: args.path, namespace: 'no-event-streams' }));
    build.onLoad({ filter: /.*/, namespace: 'no-event-streams' }, () => ({
      contents: "throw new Error('Event streams are not bundled: infra/esbuild-plugins.js leaves them out, as no client here uses them');",
      loader: 'js',
    }));
  },
};

module.exports = [sdkPackageVersion, noEventStreams];
