'use strict';
/**
 * esbuild plugins for the functions' bundles (serverless.yml, custom.esbuild.plugins; the bench builds with them too).
 * - sdkPackageVersion: each AWS SDK client imports its whole package.json only to put its version in the user agent
 *   (`packageInfo.version`): about 2 KB of JSON a client in every bundle. This hands the client its name and version
 *   alone. Should a client ever read another field, it gets undefined; the version stays exact.
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

module.exports = [sdkPackageVersion];
