'use strict';
/**
 * The website's Content-Security-Policy: one definition for the CloudFront response headers policy (serverless.yml
 * reads `forCloudFront` through ${file()}) and for the local web server (`forOrigins`). As strict as the site
 * allows: its scripts and styles only from its own origin (no inline script or style), its requests only to
 * itself (config.json), the stage's API and Cognito, pictures from itself alone (the mysfits' pictures are published
 * with the site, web/assets.cjs), and no framing, no <base>, no form posting elsewhere.
 */

/**
 * The policy for a site whose API and Cognito are at these origins.
 * @param {{ api: string, cognito: string }} origins
 * @returns {string}
 */
function forOrigins(origins) {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    `connect-src 'self' ${origins.api} ${origins.cognito}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

/** An origin (scheme://host[:port]) of a URL. @param {string} url */
const originOf = (url) => new URL(url).origin;

module.exports = {
  forOrigins,
  originOf,
  // In AWS, for a Fn::Sub: the stage's REST API and the region's Cognito endpoint.
  forCloudFront: forOrigins({
    api: 'https://${ApiGatewayRestApi}.execute-api.${AWS::Region}.amazonaws.com',
    cognito: 'https://cognito-idp.${AWS::Region}.amazonaws.com',
  }),
};
