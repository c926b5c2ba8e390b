'use strict';
/**
 * What the website reads as /config.json (web/src/config.ts, SiteConfig): one definition for the deploy
 * (infra/website.js, from the stack's outputs) and the local web server (local/system.ts, from the local system).
 * @param {{ apiUrl?: string, region?: string, userPoolId?: string, userPoolClientId?: string, cognitoEndpoint?: string, passwordPolicy: unknown }} site
 */
function siteConfig(site) {
  for (const name of /** @type {const} */ (['apiUrl', 'region', 'userPoolId', 'userPoolClientId'])) {
    if (!site[name]) throw new Error(`config.json: no ${name}`);
  }
  return {
    apiUrl: site.apiUrl,
    region: site.region,
    userPoolId: site.userPoolId,
    userPoolClientId: site.userPoolClientId,
    // Only locally: in AWS the Cognito library finds the regional endpoint itself.
    ...(site.cognitoEndpoint ? { cognitoEndpoint: site.cognitoEndpoint } : {}),
    passwordPolicy: site.passwordPolicy,
  };
}

module.exports = { siteConfig };
