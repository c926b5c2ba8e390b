/**
 * The entry point serverless.yml names for the local system's plugin (plugin.ts). The Framework requires plugins as
 * JavaScript; tsx's register API lets this process load the TypeScript of the plugin, the services it starts and the
 * authorizer serverless offline requires (cognitoAuthorizer.ts), with no flag on the command line.
 */
'use strict';

require('tsx/cjs/api').register();

// DynamoDB Local's JVM starts now, before this plugin's own modules load (about a second): earlyStart.ts.
const early = require('./earlyStart');
const typed = early.commandLine(process.argv.slice(2));
early.startDatabaseEarly(typed.commands, typed.stage);

module.exports = require('./plugin').LocalSystemPlugin;
