'use strict';
/**
 * A small local Serverless plugin: the stage parameters (`params:` in serverless.yml, and --param overrides) checked
 * before anything is built or uploaded, and the user pool's email sender said out loud.
 * - `package` (so `deploy` too, which packages first): a wrong or inconsistent parameter stops the command with one
 *   sentence naming the parameter, its value and what is allowed (exit code 1), before `.serverless/` is touched.
 *   CloudFormation would otherwise find it in the middle of an update and roll the whole stack back.
 * - packaging a stage that sends its codes through Cognito's own sender prints one warning line: AWS limits that
 *   sender to about 50 emails a day per account.
 * - `serverless info` shows the sender the deployed stage uses (the stack's EmailSender output, resources/users.yml).
 */
const { DescribeStacksCommand } = require('@aws-sdk/client-cloudformation');

/** API Gateway's cache sizes, in GB. */
const CACHE_SIZES = ['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237'];
/** The retentions CloudWatch Logs accepts, in days. */
const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
/** API Gateway's longest integration timeout by default: a longer p99 latency is never observed. */
const MAX_LATENCY_MS = 29_000;

/** AWS WAF's rate-based rule limits, requests per evaluation window (AWS lowered the minimum from 100 to 10 in 2024). */
const WAF_MIN_LIMIT = 10;
const WAF_MAX_LIMIT = 2_000_000_000;

const ADDRESS = /^[^@\s<>]+@([^@\s<>]+\.[^@\s<>]+)$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const NLB_ARN = /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/net\/[A-Za-z0-9-]{1,32}\/[0-9a-f]+$/;
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const USER_POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;

/** `Display Name <address>` or `address` -> the address, or undefined when it is neither. @param {string} value */
function addressOf(value) {
  const named = /^[^<>]*<([^<>]+)>$/.exec(value.trim());
  const address = named ? String(named[1]) : value.trim();
  return ADDRESS.test(address) ? address : undefined;
}

/** @param {unknown} value */
const isEmpty = (value) => value === undefined || value === null || String(value) === '';
/** @param {unknown} value */
const isNumber = (value) =>
  typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)));

/** @param {unknown} value */
const isWafLimit = (value) =>
  isNumber(value) && Number.isInteger(Number(value)) && Number(value) >= WAF_MIN_LIMIT && Number(value) <= WAF_MAX_LIMIT;

/** @typedef {{ allowed: string, ok: (value: unknown) => boolean }} Rule */

/** The rules several parameters share. @satisfies {Record<string, Rule>} */
const SHARED = {
  rate: { allowed: 'it must be a number of requests a second above 0', ok: (v) => isNumber(v) && Number(v) > 0 },
  burst: {
    allowed: 'it must be a whole number of requests above 0',
    ok: (v) => isNumber(v) && Number.isInteger(Number(v)) && Number(v) > 0,
  },
  wafLimit: {
    allowed: `it must be a whole number of requests per address in 5 minutes from ${WAF_MIN_LIMIT} to ${WAF_MAX_LIMIT}, AWS WAF's range`,
    ok: (v) => isWafLimit(v),
  },
  boolean: { allowed: 'it must be true or false', ok: (v) => ['true', 'false'].includes(String(v)) },
  tableName: { allowed: 'it must be a DynamoDB table name (3 to 255 of A-Z a-z 0-9 _ . -)', ok: (v) => TABLE_NAME.test(String(v)) },
};

/**
 * Each parameter's check: what is allowed, as the end of "Stage parameter X is V: <allowed>.", and the test.
 * @type {Record<string, Rule>}
 */
const RULES = {
  throttleRateLimit: SHARED.rate,
  throttleBurstLimit: SHARED.burst,
  clicksThrottleRateLimit: SHARED.rate,
  clicksThrottleBurstLimit: SHARED.burst,
  writesThrottleRateLimit: SHARED.rate,
  writesThrottleBurstLimit: SHARED.burst,
  webFirewall: SHARED.boolean,
  wafRateLimit: SHARED.wafLimit,
  wafClicksRateLimit: SHARED.wafLimit,
  wafSignUpRateLimit: SHARED.wafLimit,
  wafBlockedAlarmThreshold: {
    allowed: 'it must be a whole number of blocked requests in 5 minutes, 0 or more',
    ok: (v) => isNumber(v) && Number.isInteger(Number(v)) && Number(v) >= 0,
  },
  throttledAlarmThreshold: {
    allowed: 'it must be a whole number of 429 answers in 5 minutes, 0 or more',
    ok: (v) => isNumber(v) && Number.isInteger(Number(v)) && Number(v) >= 0,
  },
  publicReadCacheSeconds: {
    allowed: "it must be a whole number of seconds from 0 (no cache) to 3600, API Gateway's longest cache TTL",
    ok: (v) => isNumber(v) && Number.isInteger(Number(v)) && Number(v) >= 0 && Number(v) <= 3600,
  },
  apiCacheClusterSize: {
    allowed: `it must be one of API Gateway's cache sizes: ${CACHE_SIZES.join(', ')} (GB)`,
    ok: (v) => CACHE_SIZES.includes(String(v)),
  },
  apiErrorRateThreshold: {
    allowed: 'it must be a share of requests above 0 and at most 1 (0.01 is 1 %)',
    ok: (v) => isNumber(v) && Number(v) > 0 && Number(v) <= 1,
  },
  apiLatencyP99ThresholdMs: {
    allowed: `it must be a number of milliseconds above 0 and at most ${MAX_LATENCY_MS}, API Gateway's integration timeout`,
    ok: (v) => isNumber(v) && Number(v) > 0 && Number(v) <= MAX_LATENCY_MS,
  },
  logRetentionInDays: {
    allowed: `it must be one of CloudWatch Logs' retentions: ${RETENTION_DAYS.join(', ')} (days)`,
    ok: (v) => isNumber(v) && RETENTION_DAYS.includes(Number(v)),
  },
  clicksBufferSeconds: {
    allowed: "it must be a whole number of seconds from 0 to 900, Firehose's buffering interval",
    ok: (v) => isNumber(v) && Number.isInteger(Number(v)) && Number(v) >= 0 && Number(v) <= 900,
  },
  pointInTimeRecovery: SHARED.boolean,
  createMysfitsTable: SHARED.boolean,
  minifyBundles: SHARED.boolean,
  createActivityTable: SHARED.boolean,
  replaceFrameworkStage: SHARED.boolean,
  mysfitsTableName: SHARED.tableName,
  activityTableName: SHARED.tableName,
  visitorSaltsTableName: SHARED.tableName,
  userPoolId: {
    allowed: 'it must be empty (a new pool) or a user pool id such as us-east-1_AbCdEf123',
    ok: (v) => isEmpty(v) || USER_POOL_ID.test(String(v)),
  },
  alarmEmail: { allowed: 'it must be empty (no email) or an email address', ok: (v) => isEmpty(v) || ADDRESS.test(String(v)) },
  // A string is one origin, or '*' (the local stage); in AWS the default is a CloudFormation value (the site's URL).
  corsOrigin: {
    allowed: 'it must be * or one origin such as https://www.example.com (scheme and host, no path)',
    ok: (v) => typeof v === 'object' || v === '*' || /^https?:\/\/[^/\s?#]+$/.test(String(v)),
  },
  legacyNlbArn: {
    allowed:
      'it must be empty or the ARN of a Network Load Balancer (arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/net/<name>/<id>)',
    ok: (v) => isEmpty(v) || NLB_ARN.test(String(v)),
  },
  legacyNlbDnsName: {
    allowed: "it must be empty or the load balancer's DNS name alone (no http://, no path)",
    ok: (v) => isEmpty(v) || DOMAIN.test(String(v)),
  },
  sesIdentity: {
    allowed: 'it must be empty or an identity verified in Amazon SES: a domain (example.com) or an address',
    ok: (v) => isEmpty(v) || DOMAIN.test(String(v)) || ADDRESS.test(String(v)),
  },
  sesFromAddress: {
    allowed: 'it must be empty or an email address, optionally with a name: Mythical Mysfits <no-reply@example.com>',
    ok: (v) => isEmpty(v) || addressOf(String(v)) !== undefined,
  },
};

/**
 * Parameters that go together: both given, or neither.
 * @type {Array<[string, string, string]>}
 */
const PAIRS = [
  ['legacyNlbArn', 'legacyNlbDnsName', 'give both (the legacy switch on) or neither (off)'],
  ['sesIdentity', 'sesFromAddress', "give both (email through Amazon SES) or neither (Cognito's own sender)"],
];

/**
 * Parameters that may not exceed another: a route's throttle above the stage's, or a narrower WAF limit above the
 * address's own, would never apply.
 * @type {Array<[string, string, string]>}
 */
const AT_MOST = [
  ['clicksThrottleRateLimit', 'throttleRateLimit', "a route's throttle is below the stage's"],
  ['clicksThrottleBurstLimit', 'throttleBurstLimit', "a route's throttle is below the stage's"],
  ['writesThrottleRateLimit', 'throttleRateLimit', "a route's throttle is below the stage's"],
  ['writesThrottleBurstLimit', 'throttleBurstLimit', "a route's throttle is below the stage's"],
  ['wafClicksRateLimit', 'wafRateLimit', "the address's own limit counts these requests too"],
  ['wafSignUpRateLimit', 'wafRateLimit', "the address's own limit counts these requests too"],
];

/** @param {string} name @param {unknown} value */
const shown = (name, value) => `Stage parameter ${name} is ${JSON.stringify(value)}`;

/**
 * The first thing wrong with `params` (a stage's parameters as the Framework merges them), as one sentence; or
 * undefined when they are all allowed.
 * @param {Record<string, unknown>} params
 * @returns {string | undefined}
 */
function problemWith(params) {
  for (const [name, rule] of Object.entries(RULES)) {
    if (name in params && !rule.ok(params[name])) return `${shown(name, params[name])}: ${rule.allowed}.`;
  }
  for (const [first, second, allowed] of PAIRS) {
    if (isEmpty(params[first]) !== isEmpty(params[second])) {
      const [given, missing] = isEmpty(params[first]) ? [second, first] : [first, second];
      return `${shown(given, params[given])} but ${missing} is empty: ${allowed}.`;
    }
  }
  for (const [name, bound, why] of AT_MOST) {
    if (name in params && bound in params && Number(params[name]) > Number(params[bound])) {
      return `${shown(name, params[name])}: it must be at most ${bound} (${String(params[bound])}): ${why}.`;
    }
  }
  const identity = String(params.sesIdentity || '');
  const from = addressOf(String(params.sesFromAddress || ''));
  if (identity && from) {
    const fromDomain = from.slice(from.indexOf('@') + 1).toLowerCase();
    const domain = identity.toLowerCase();
    // A verified domain also verifies its subdomains (SES); a verified address is that address alone.
    const fits = identity.includes('@') ? from.toLowerCase() === domain : fromDomain === domain || fromDomain.endsWith(`.${domain}`);
    if (!fits) {
      return `${shown('sesFromAddress', params.sesFromAddress)}: it must be an address of the SES identity ${identity} (sesIdentity), which alone may send it.`;
    }
  }
  return undefined;
}

/**
 * A stage's parameters as the Framework resolves `${param:...}`: --param overrides, then the stage's block, then
 * `default` (lib/configuration/variables/sources/instance-dependent/param.js of osls).
 * @param {any} serverless @param {string} stage @param {string[] | undefined} cliParams
 * @returns {Record<string, unknown>}
 */
function stageParams(serverless, stage, cliParams) {
  const config = (serverless.configurationInput && serverless.configurationInput.params) || {};
  /** @type {Record<string, unknown>} */
  const cli = {};
  for (const item of cliParams || []) {
    const match = /^([^=]+)=(.+)$/.exec(String(item));
    if (match) cli[String(match[1])] = String(match[2]).trimEnd();
  }
  return { ...config.default, ...config[stage], ...cli };
}

/** The warning for a stage without SES, or undefined when it sends through SES. @param {string} stage @param {Record<string, unknown>} params */
function senderWarning(stage, params) {
  if (!isEmpty(params.sesIdentity)) return undefined;
  return (
    `Stage ${stage} emails its sign-up and password codes through Cognito's own sender, which AWS limits to about 50 a day ` +
    'per account: set the parameters sesIdentity and sesFromAddress to send through Amazon SES (README, Deploy).'
  );
}

class StageParams {
  /** @param {any} serverless @param {any} options @param {{ log: { warning: (text: string) => void } }} [utils] */
  constructor(serverless, options, utils) {
    this.serverless = serverless;
    this.options = options || {};
    this.log = (utils && utils.log) || { warning: (/** @type {string} */ text) => serverless.cli.log(text) };
    this.hooks = {
      // The first event of `package` (which `deploy` runs first): before .serverless/ is cleaned, built or uploaded.
      'before:package:cleanup': () => this.check(),
      'after:info:info': () => this.showSender(),
    };
  }

  get stage() {
    return this.serverless.getProvider('aws').getStage();
  }

  check() {
    const params = stageParams(this.serverless, this.stage, this.options.param);
    const problem = problemWith(params);
    if (problem) throw new this.serverless.classes.Error(problem);
    const warning = this.stage === 'local' ? undefined : senderWarning(this.stage, params);
    if (warning) this.log.warning(warning);
  }

  /** The deployed stage's sender, from its stack's EmailSender output. */
  async showSender() {
    const provider = this.serverless.getProvider('aws');
    const cloudFormation = await provider.getCloudFormationClient();
    const { Stacks = [] } = await cloudFormation.send(new DescribeStacksCommand({ StackName: provider.naming.getStackName() }));
    const outputs = (Stacks[0] && Stacks[0].Outputs) || [];
    const sender = outputs.find((/** @type {any} */ o) => o.OutputKey === 'EmailSender');
    this.serverless.addServiceOutputSection(
      'email sender',
      sender && sender.OutputValue ? String(sender.OutputValue) : 'not in this stack yet: deploy again to see it',
    );
  }
}

module.exports = StageParams;
module.exports.problemWith = problemWith;
module.exports.senderWarning = senderWarning;
module.exports.CACHE_SIZES = CACHE_SIZES;
module.exports.CHECKED = Object.keys(RULES);
module.exports.RETENTION_DAYS = RETENTION_DAYS;
module.exports.WAF_MIN_LIMIT = WAF_MIN_LIMIT;
module.exports.WAF_MAX_LIMIT = WAF_MAX_LIMIT;
