/**
 * The entry point serverless.yml names for the local system's plugin (plugin.ts). The Framework requires plugins as
 * JavaScript; tsx's register API lets this process load the TypeScript of the plugin, the services it starts and the
 * authorizer serverless offline requires (cognitoAuthorizer.ts), with no flag on the command line.
 */
'use strict';

require('tsx/cjs/api').register();

module.exports = require('./plugin').LocalSystemPlugin;
