/**
 * Everything the local system takes from cognito-local, in one place: its parts, as its own createDefaultServer puts
 * them together (it has no API to add operations, deliver codes elsewhere or change its tokens, so cognito.ts builds
 * the server from them), its error classes (which its router turns into Cognito's error answers) and its signing key.
 * Written for cognito-local 5.3.0; tests/unit/local/cognitoLocalInternals.test.ts holds the version and each module
 * named below to the installed copy. After an upgrade, look at these paths and at how createDefaultServer
 * (lib/server/defaults.js) builds the server now.
 */
export const WRITTEN_FOR = '5.3.0';

// Loaded with this module: what the SRP sign-in (srpSignIn.ts) and the unit tests need.
export { JwtTokenGenerator } from 'cognito-local/lib/services/tokenGenerator';
export { default as signingKey } from 'cognito-local/lib/keys/cognitoLocal.private.json';
export {
  InvalidParameterError,
  NotAuthorizedError,
  PasswordResetRequiredError,
  UserNotConfirmedException,
  UserNotFoundError,
} from 'cognito-local/lib/errors';

/* eslint-disable @typescript-eslint/no-require-imports -- loaded when the server starts, not with this module */
/**
 * The server, its operations and services, loaded when asked for: a moment of the thread, and they bring otplib, an
 * ES module that jest cannot require. Not its KMS service (services/crypto): cognito.ts says why. Each require is
 * spelled out, not looped over a list: esbuild bundles a literal path only (cognitoThread.ts's bundle), and each
 * keeps its type.
 */
export function serverParts() {
  return {
    ...(require('cognito-local/lib/server/config') as typeof import('cognito-local/lib/server/config')),
    ...(require('cognito-local/lib/server/Router') as typeof import('cognito-local/lib/server/Router')),
    ...(require('cognito-local/lib/server/server') as typeof import('cognito-local/lib/server/server')),
    ...(require('cognito-local/lib/services/cognitoService') as typeof import('cognito-local/lib/services/cognitoService')),
    ...(require('cognito-local/lib/services/dataStore/stormDb') as typeof import('cognito-local/lib/services/dataStore/stormDb')),
    ...(require('cognito-local/lib/services/userPoolService') as typeof import('cognito-local/lib/services/userPoolService')),
    ...(require('cognito-local/lib/services') as typeof import('cognito-local/lib/services')),
    ...(require('cognito-local/lib/services/messageDelivery/consoleMessageSender') as typeof import('cognito-local/lib/services/messageDelivery/consoleMessageSender')),
    ...(require('cognito-local/lib/services/messageDelivery/messageDelivery') as typeof import('cognito-local/lib/services/messageDelivery/messageDelivery')),
    ...(require('cognito-local/lib/services/messageDelivery/deliveryMethod') as typeof import('cognito-local/lib/services/messageDelivery/deliveryMethod')),
    ...(require('cognito-local/lib/services/otp') as typeof import('cognito-local/lib/services/otp')),
    ...(require('cognito-local/lib/targets/targets') as typeof import('cognito-local/lib/targets/targets')),
  };
}
/* eslint-enable @typescript-eslint/no-require-imports */
