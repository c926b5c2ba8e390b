/**
 * Stands in for `@aws-sdk/credential-provider-node` in the deployed bundles (serverless.yml, custom.esbuild.alias).
 *
 * Lambda gives every function its role's credentials in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
 * AWS_SESSION_TOKEN, and `serverless invoke local` passes the caller's the same way; the SDK's default chain would
 * look there first too. The rest of that chain (SSO, STS web identity, profiles, process, instance metadata) is
 * about a third of each bundle and never runs in Lambda, so the bundles keep only the environment provider.
 * Tests and local tools run the source with the SDK's full chain.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

/** The name and shape the SDK clients import: `defaultProvider(init)` returns a credentials provider. */
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]): ReturnType<typeof fromEnv> => fromEnv(init);
