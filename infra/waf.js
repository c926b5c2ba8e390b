'use strict';
/**
 * A small local Serverless plugin: AWS WAF (WAFv2, regional) in front of the API stage and the user pool, so that one
 * address cannot take the whole API's throttle or spend the day's sign-up emails. Nothing at all when
 * `custom.webFirewall.enabled` is 'false' (every stage but prod, by default; the local stage never has one).
 * - the API's web ACL: AWS's IP reputation list; a rate limit per source address over 5 minutes, and a lower one for
 *   POST /clicks; a body-size limit for POST /clicks matching the batch limit; AWS's known bad inputs and common rule
 *   set. Its blocks are JSON with the API's CORS headers, so the website reads them: 429 (with Retry-After) for the
 *   rate limits, 413 for an oversized batch (the managed groups answer WAF's default 403).
 * - the user pool's web ACL: the IP reputation list, the same per-address limit over every Cognito call, and a lower
 *   one for the calls that email a code (SignUp, ResendConfirmationCode, ForgotPassword), by their X-Amz-Target.
 *   Cognito answers a request its web ACL blocks with its own error, ForbiddenException (403), whatever the rule's
 *   response: the website shows its sign-up message for it.
 * - the blocked and counted requests of both, logged to one CloudWatch Logs group (`aws-waf-logs-` is the prefix WAF
 *   requires) kept one day, the shortest retention: a log line has the caller's address, which the README's privacy
 *   section keeps no longer than the day's salt. The Authorization header (an ID token) is redacted.
 */

/** The managed rule groups of AWS (vendor AWS), each a rule of its own. */
const IP_REPUTATION = 'AWSManagedRulesAmazonIpReputationList';
const KNOWN_BAD_INPUTS = 'AWSManagedRulesKnownBadInputsRuleSet';
const COMMON = 'AWSManagedRulesCommonRuleSet';
/** The common rule set blocks a body over 8 KB (its rule SizeRestrictions_BODY). */
const COMMON_BODY_LIMIT = 8192;
/** The Cognito calls that send an email: each spends Cognito's sender quota (about 50 a day) or SES's. */
const EMAILING_TARGETS = ['SignUp', 'ResendConfirmationCode', 'ForgotPassword'].map((call) => `AWSCognitoIdentityProviderService.${call}`);
/** Seconds a blocked caller is told to wait: WAF checks the rate about every 10 s over a 5-minute window. */
const RETRY_AFTER_SECONDS = 60;
const WINDOW_SECONDS = 300;
/** One day: the shortest retention CloudWatch Logs has, and the longest the README lets an address be kept. */
const LOG_RETENTION_DAYS = 1;

class WebFirewall {
  /** @param {any} serverless the Serverless instance */
  constructor(serverless) {
    this.serverless = serverless;
    // After ./rest-api.js has made the stage (plugin order), before ./operations.js alarms on the rules.
    this.hooks = { 'before:aws:package:finalize:saveServiceState': () => this.addFirewall() };
  }

  addFirewall() {
    const { service } = this.serverless;
    const settings = service.custom && service.custom.webFirewall;
    if (!settings) throw new Error('waf: custom.webFirewall is not set');
    const enabled = String(settings.enabled);
    if (enabled === 'false') return;
    if (enabled !== 'true')
      throw new Error(`waf: custom.webFirewall.enabled must be true or false, got ${JSON.stringify(settings.enabled)}`);
    const resources = service.provider.compiledCloudFormationTemplate.Resources;
    const stage = resources.ApiGatewayStage;
    if (!stage) throw new Error('waf: the template has no ApiGatewayStage (./rest-api.js runs first)');
    const stageName = String(stage.Properties.StageName);
    const made = firewallResources({
      prefix: `${service.service}-${stageName}`,
      stageName,
      restApiId: stage.Properties.RestApiId,
      userPoolArn: settings.userPoolArn,
      corsOrigin: settings.corsOrigin,
      rateLimit: limit(settings.rateLimit, 'rateLimit'),
      clicksRateLimit: limit(settings.clicksRateLimit, 'clicksRateLimit'),
      signUpRateLimit: limit(settings.signUpRateLimit, 'signUpRateLimit'),
      clicksMaxBodyBytes: limit(settings.clicksMaxBodyBytes, 'clicksMaxBodyBytes'),
    });
    for (const [id, resource] of Object.entries(made)) {
      if (resources[id]) throw new Error(`waf: the template already has a resource ${id}`);
      resources[id] = resource;
    }
  }
}

/** @param {unknown} value @param {string} name */
function limit(value, name) {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 10) {
    throw new Error(`waf: custom.webFirewall.${name} must be a whole number of at least 10, got ${JSON.stringify(value)}`);
  }
  return number;
}

/** A rule's or web ACL's CloudWatch metrics, sampled requests on. @param {string} metricName */
const visibility = (metricName) => ({ SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: metricName });

/** A managed rule group of AWS as a rule. @param {string} name @param {number} priority @param {string} metric @param {any[]} [overrides] */
function managedGroup(name, priority, metric, overrides = []) {
  return {
    Name: name,
    Priority: priority,
    OverrideAction: { None: {} },
    Statement: {
      ManagedRuleGroupStatement: { VendorName: 'AWS', Name: name, ...(overrides.length ? { RuleActionOverrides: overrides } : {}) },
    },
    VisibilityConfig: visibility(metric),
  };
}

/** A per-address rate limit over 5 minutes, optionally only over the requests `scope` matches. */
function rateRule(/** @type {{ name: string, priority: number, metric: string, limit: number, scope?: any, action: any }} */ rule) {
  return {
    Name: rule.name,
    Priority: rule.priority,
    Action: rule.action,
    Statement: {
      RateBasedStatement: {
        Limit: rule.limit,
        AggregateKeyType: 'IP',
        EvaluationWindowSec: WINDOW_SECONDS,
        ...(rule.scope ? { ScopeDownStatement: rule.scope } : {}),
      },
    },
    VisibilityConfig: visibility(rule.metric),
  };
}

/**
 * The URI path of POST /clicks as WAF sees it on the stage's own URL (`/<stage>/clicks`), decoded and normalised
 * first, so that `/prod//clicks` or `/prod/%63licks` is the same path. STARTS_WITH: a trailing slash too.
 * @param {string} stageName
 */
const clicksPath = (stageName) => ({
  ByteMatchStatement: {
    FieldToMatch: { UriPath: {} },
    PositionalConstraint: 'STARTS_WITH',
    SearchString: `/${stageName}/clicks`,
    TextTransformations: [
      { Priority: 0, Type: 'URL_DECODE' },
      { Priority: 1, Type: 'NORMALIZE_PATH' },
    ],
  },
});

/** The header X-Amz-Target exactly `target` (Cognito's API names its call there). @param {string} target */
const cognitoTarget = (target) => ({
  ByteMatchStatement: {
    FieldToMatch: { SingleHeader: { Name: 'x-amz-target' } },
    PositionalConstraint: 'EXACTLY',
    SearchString: target,
    TextTransformations: [{ Priority: 0, Type: 'NONE' }],
  },
});

/**
 * Every resource of the firewall, by logical id.
 * @param {{ prefix: string, stageName: string, restApiId: unknown, userPoolArn: unknown, corsOrigin: unknown,
 *   rateLimit: number, clicksRateLimit: number, signUpRateLimit: number, clicksMaxBodyBytes: number }} s
 */
function firewallResources(s) {
  if (s.clicksRateLimit > s.rateLimit || s.signUpRateLimit > s.rateLimit) {
    throw new Error("waf: the limits of POST /clicks and of sign-up must be at most the address's own limit");
  }
  if (s.userPoolArn === undefined) throw new Error('waf: custom.webFirewall.userPoolArn is not set');
  const apiName = `${s.prefix}-api`;
  const poolName = `${s.prefix}-user-pool`;
  // A blocked browser call must carry the API's CORS headers, or the page sees a network failure instead of the answer.
  const corsHeaders = [
    { Name: 'Access-Control-Allow-Origin', Value: s.corsOrigin },
    { Name: 'Access-Control-Expose-Headers', Value: 'Retry-After' },
  ];
  const tooMany = {
    Block: {
      CustomResponse: {
        ResponseCode: 429,
        CustomResponseBodyKey: 'TooManyRequests',
        ResponseHeaders: [...corsHeaders, { Name: 'Retry-After', Value: String(RETRY_AFTER_SECONDS) }],
      },
    },
  };
  const apiRules = [
    managedGroup(IP_REPUTATION, 0, `${apiName}-ip-reputation`),
    rateRule({ name: 'AddressRate', priority: 1, metric: `${apiName}-address-rate`, limit: s.rateLimit, action: tooMany }),
    rateRule({
      name: 'ClicksAddressRate',
      priority: 2,
      metric: `${apiName}-clicks-rate`,
      limit: s.clicksRateLimit,
      scope: clicksPath(s.stageName),
      action: tooMany,
    }),
    {
      Name: 'ClicksBodySize',
      Priority: 3,
      Action: { Block: { CustomResponse: { ResponseCode: 413, CustomResponseBodyKey: 'BatchTooLarge', ResponseHeaders: corsHeaders } } },
      Statement: {
        AndStatement: {
          Statements: [
            clicksPath(s.stageName),
            {
              SizeConstraintStatement: {
                // A body past what WAF inspects (16 KB on API Gateway) is larger than any batch: it matches too.
                FieldToMatch: { Body: { OversizeHandling: 'MATCH' } },
                ComparisonOperator: 'GT',
                Size: s.clicksMaxBodyBytes,
                TextTransformations: [{ Priority: 0, Type: 'NONE' }],
              },
            },
          ],
        },
      },
      VisibilityConfig: visibility(`${apiName}-clicks-body-size`),
    },
    managedGroup(KNOWN_BAD_INPUTS, 4, `${apiName}-known-bad-inputs`),
    // Its 8 KB body limit would refuse a click batch only if a batch could be larger: counted then, not blocked
    // (ClicksBodySize holds the batch to its own limit). No other rule of the set matches the site's requests.
    managedGroup(
      COMMON,
      5,
      `${apiName}-common`,
      s.clicksMaxBodyBytes > COMMON_BODY_LIMIT ? [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }] : [],
    ),
  ];
  const poolRules = [
    managedGroup(IP_REPUTATION, 0, `${poolName}-ip-reputation`),
    rateRule({ name: 'AddressRate', priority: 1, metric: `${poolName}-address-rate`, limit: s.rateLimit, action: { Block: {} } }),
    rateRule({
      name: 'SignUpAddressRate',
      priority: 2,
      metric: `${poolName}-sign-up-rate`,
      limit: s.signUpRateLimit,
      scope: { OrStatement: { Statements: EMAILING_TARGETS.map(cognitoTarget) } },
      action: { Block: {} },
    }),
    managedGroup(KNOWN_BAD_INPUTS, 3, `${poolName}-known-bad-inputs`),
  ];
  const json = (/** @type {string} */ message) => ({ ContentType: 'APPLICATION_JSON', Content: JSON.stringify({ message }) });
  const logGroupArn = { 'Fn::Sub': 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${WebFirewallLogGroup}' };
  const logging = (/** @type {string} */ acl) => ({
    Type: 'AWS::WAFv2::LoggingConfiguration',
    Properties: {
      ResourceArn: { 'Fn::GetAtt': [acl, 'Arn'] },
      LogDestinationConfigs: [logGroupArn],
      // An ID token is a credential: never in a log.
      RedactedFields: [{ SingleHeader: { Name: 'authorization' } }],
      // Only what a rule blocked or counted: the rest is every request of the site, at a price per GB.
      LoggingFilter: {
        DefaultBehavior: 'DROP',
        Filters: [
          {
            Behavior: 'KEEP',
            Requirement: 'MEETS_ANY',
            Conditions: [{ ActionCondition: { Action: 'BLOCK' } }, { ActionCondition: { Action: 'COUNT' } }],
          },
        ],
      },
    },
  });
  return {
    ApiWebAcl: {
      Type: 'AWS::WAFv2::WebACL',
      Properties: {
        Name: apiName,
        Scope: 'REGIONAL',
        // WAF takes letters, digits, spaces and = : # @ / - , . + here (cfn-lint E3031): no apostrophe.
        Description: `${s.prefix} API stage web firewall`,
        DefaultAction: { Allow: {} },
        Rules: apiRules,
        CustomResponseBodies: {
          TooManyRequests: json('Too many requests: try again in a moment.'),
          BatchTooLarge: json(`A click batch may be at most ${s.clicksMaxBodyBytes} bytes.`),
        },
        VisibilityConfig: visibility(apiName),
      },
    },
    ApiWebAclAssociation: {
      Type: 'AWS::WAFv2::WebACLAssociation',
      // The stage must exist before a web ACL can be associated with it.
      DependsOn: ['ApiGatewayStage'],
      Properties: {
        ResourceArn: {
          'Fn::Sub': [
            'arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/${RestApiId}/stages/${StageName}',
            { RestApiId: s.restApiId, StageName: s.stageName },
          ],
        },
        WebACLArn: { 'Fn::GetAtt': ['ApiWebAcl', 'Arn'] },
      },
    },
    UserPoolWebAcl: {
      Type: 'AWS::WAFv2::WebACL',
      Properties: {
        Name: poolName,
        Scope: 'REGIONAL',
        Description: `${s.prefix} user pool web firewall`,
        DefaultAction: { Allow: {} },
        Rules: poolRules,
        VisibilityConfig: visibility(poolName),
      },
    },
    // The pool this stack makes, or the kept one adopted by userPoolId (serverless.yml custom.userPool).
    UserPoolWebAclAssociation: {
      Type: 'AWS::WAFv2::WebACLAssociation',
      Properties: { ResourceArn: s.userPoolArn, WebACLArn: { 'Fn::GetAtt': ['UserPoolWebAcl', 'Arn'] } },
    },
    WebFirewallLogGroup: {
      Type: 'AWS::Logs::LogGroup',
      Properties: { LogGroupName: `aws-waf-logs-${s.prefix}`, RetentionInDays: LOG_RETENTION_DAYS },
    },
    ApiWebAclLogging: logging('ApiWebAcl'),
    UserPoolWebAclLogging: logging('UserPoolWebAcl'),
  };
}

module.exports = WebFirewall;
module.exports.firewallResources = firewallResources;
module.exports.EMAILING_TARGETS = EMAILING_TARGETS;
module.exports.LOG_RETENTION_DAYS = LOG_RETENTION_DAYS;
module.exports.COMMON_BODY_LIMIT = COMMON_BODY_LIMIT;
