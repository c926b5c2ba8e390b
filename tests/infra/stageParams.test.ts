/**
 * The stage parameters, checked by `serverless package --stage prod` itself (infra/stage-params.js, the plugin as
 * serverless.yml loads it): a wrong one stops the command with one sentence and exit code 1, before anything is
 * written; a valid set packages, with one warning line while the stage sends through Cognito's own sender.
 * (Every refusal, one by one: tests/unit/infra/stageParams.test.ts.)
 */
import { packageProd, packageProdRefused, type Packaged, type Refused } from './package';

const NLB_ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/legacy/0123456789abcdef';

let valid: Packaged;
let withSes: Packaged;
let halfLegacy: Refused;
let badRate: Refused;

beforeAll(async () => {
  [valid, withSes, halfLegacy, badRate] = await Promise.all([
    packageProd({
      throttleRateLimit: '50',
      // The routes' own throttles stay below the stage's (prod's are above 50).
      clicksThrottleRateLimit: '20',
      writesThrottleRateLimit: '20',
      apiErrorRateThreshold: '0.05',
      publicReadCacheSeconds: '60',
      apiCacheClusterSize: '1.6',
    }),
    packageProd({ sesIdentity: 'mysfits.example.com', sesFromAddress: 'no-reply@mysfits.example.com' }),
    packageProdRefused({ legacyNlbArn: NLB_ARN }),
    packageProdRefused({ apiErrorRateThreshold: '5' }),
  ]);
}, 120_000);

const WARNING =
  /Warning: Stage prod emails its sign-up and password codes through Cognito's own sender, which AWS limits to about 50 a day/;

test('a half-given legacy switch: one sentence naming both parameters, exit code 1, nothing written', () => {
  expect(halfLegacy.code).toBe(1);
  expect(halfLegacy.output).toContain(
    `Stage parameter legacyNlbArn is "${NLB_ARN}" but legacyNlbDnsName is empty: give both (the legacy switch on) or neither (off).`,
  );
  expect(halfLegacy.wroteSomething).toBe(false);
  // Stopped before the warning (and everything else) of a package.
  expect(halfLegacy.output).not.toMatch(WARNING);
});

test('a rate over 1: the parameter, its value and what is allowed, exit code 1, nothing written', () => {
  expect(badRate.code).toBe(1);
  expect(badRate.output).toContain('Stage parameter apiErrorRateThreshold is "5": it must be a share of requests above 0 and at most 1');
  expect(badRate.wroteSomething).toBe(false);
});

test("a valid set packages, and says once that the stage sends through Cognito's own sender", () => {
  expect(valid.files).toContain('cloudformation-template-update-stack.json');
  expect(valid.output.match(new RegExp(WARNING.source, 'g'))).toHaveLength(1);
  expect(withSes.output).not.toMatch(WARNING);
});
