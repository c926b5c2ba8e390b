/**
 * local/userPool.ts: the local pool and client are the template's, so cognito-local issues tokens that last exactly as
 * long as AWS's (resources/users.yml, one definition), a pool kept from an earlier start is brought up to date, and
 * the template's CloudFormation conditions are chosen as the local stage resolves them.
 */
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JwtTokenGenerator } from '../../../local/cognitoLocalInternals';
import { resolvedServiceSync, userPoolClientProperties } from '../../../dev/service';
import { chosenBranches, ensureUserPool, userPoolClientInput, userPoolInput } from '../../../local/userPool';

const LOCAL = resolvedServiceSync('local');
const PROD = resolvedServiceSync('prod');
const cognito = mockClient(CognitoIdentityProviderClient);

const claims = (token: string) =>
  JSON.parse(Buffer.from(String(token.split('.')[1]), 'base64url').toString('utf8')) as { iat: number; exp: number };

test("the local client's token lifetimes are prod's, from the one definition in resources/users.yml", () => {
  const lifetimes = (p: Record<string, unknown>) => [
    p.IdTokenValidity,
    p.AccessTokenValidity,
    p.RefreshTokenValidity,
    p.TokenValidityUnits,
  ];
  const local = userPoolClientInput(LOCAL, 'us-east-1_local') as unknown as Record<string, unknown>;
  expect(lifetimes(local)).toEqual(lifetimes(userPoolClientProperties(PROD)));
  expect(lifetimes(local)).toEqual([15, 15, 30, { IdToken: 'minutes', AccessToken: 'minutes', RefreshToken: 'days' }]);
});

test('cognito-local, given that client, issues ID and access tokens that expire 15 minutes after they are issued', async () => {
  // Arrange: cognito-local's own token generator, as local/cognito.ts builds it, at a fixed time.
  const now = new Date('2026-12-03T08:00:00Z');
  const generator = new JwtTokenGenerator({ get: () => now }, { enabled: () => false } as never, { IssuerDomain: 'http://127.0.0.1:9229' });
  const client = { ...userPoolClientInput(LOCAL, 'us-east-1_local'), ClientId: 'client' };
  const user = {
    Username: 'ada',
    Attributes: [
      { Name: 'sub', Value: 'ada-sub' },
      { Name: 'email', Value: 'ada@example.com' },
    ],
  };
  // Act
  const tokens = await generator.generate({ logger: console } as never, user as never, [], client as never, undefined, 'Authentication');
  // Assert
  for (const token of [tokens.IdToken, tokens.AccessToken]) {
    const { iat, exp } = claims(token);
    expect(iat).toBe(now.getTime() / 1000);
    expect(exp - iat).toBe(15 * 60);
  }
});

test('a pool kept from an earlier start gets the template client settings again (an older client had 60-minute tokens)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mysfits-pool-'));
  try {
    cognito.reset();
    cognito.on(DescribeUserPoolCommand).resolves({ UserPool: { Id: 'us-east-1_kept' } });
    cognito.on(DescribeUserPoolClientCommand).resolves({ UserPoolClient: { ClientId: 'kept-client' } });
    cognito.on(UpdateUserPoolClientCommand).resolves({});
    const idsFile = join(dir, 'user-pool.json');
    writeFileSync(idsFile, JSON.stringify({ userPoolId: 'us-east-1_kept', userPoolClientId: 'kept-client' }));
    await expect(ensureUserPool(LOCAL, 'http://127.0.0.1:1', idsFile)).resolves.toEqual({
      userPoolId: 'us-east-1_kept',
      userPoolClientId: 'kept-client',
    });
    const [update] = cognito.commandCalls(UpdateUserPoolClientCommand);
    expect(update?.args[0].input).toMatchObject({
      UserPoolId: 'us-east-1_kept',
      ClientId: 'kept-client',
      IdTokenValidity: 15,
      AccessTokenValidity: 15,
    });
    expect(update?.args[0].input).not.toHaveProperty('GenerateSecret');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the local pool takes the branch the local stage's conditions choose: Cognito's default verification message", () => {
  const input = userPoolInput(LOCAL);
  expect(JSON.stringify(input)).not.toContain('Fn::If');
  expect(input.VerificationMessageTemplate).toEqual({ DefaultEmailOption: 'CONFIRM_WITH_CODE' });
  expect(input).not.toHaveProperty('EmailConfiguration');
});

test('conditions are chosen as CloudFormation does; one it cannot read is an error, not a guess', () => {
  const conditions = { Ses: { 'Fn::Not': [{ 'Fn::Equals': ['example.com', ''] }] }, Odd: { 'Fn::And': [] } };
  expect(chosenBranches({ a: { 'Fn::If': ['Ses', 'ses', 'cognito'] }, b: [1] }, conditions)).toEqual({ a: 'ses', b: [1] });
  expect(() => chosenBranches({ 'Fn::If': ['Odd', 1, 2] }, conditions)).toThrow(/cannot evaluate/);
  expect(() => chosenBranches({ 'Fn::If': ['Missing', 1, 2] }, conditions)).toThrow(/no condition Missing/);
});
