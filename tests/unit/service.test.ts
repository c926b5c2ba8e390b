/** dev/service.ts: what the resolved config depends on, and what the local tools read from it. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configFiles, deployedName, functionSetting, routes, stageParams, tableDefinitions, type ResolvedService } from '../../dev/service';

test('the config files are serverless.yml and every file it includes with ${file(...)}, followed through includes', () => {
  const root = mkdtempSync(join(tmpdir(), 'mysfits-config-'));
  try {
    mkdirSync(join(root, 'resources'));
    writeFileSync(join(root, 'serverless.yml'), 'resources:\n  - ${file(resources/data.yml)}\n  - ${file(./resources/users.yml)}\n');
    writeFileSync(join(root, 'resources', 'data.yml'), 'Resources: ${file(./tables.yml)}\n');
    writeFileSync(join(root, 'resources', 'tables.yml'), 'MysfitsTable: {}\n');
    writeFileSync(join(root, 'resources', 'users.yml'), 'Resources: {}\n');
    expect(
      configFiles(root)
        .map((file) => file.slice(root.length + 1))
        .sort(),
    ).toEqual(['resources/data.yml', 'resources/tables.yml', 'resources/users.yml', 'serverless.yml']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

const SERVICE: ResolvedService = {
  service: 'mysfits',
  params: { default: { mysfitsTableName: 'm-default', pointInTimeRecovery: false }, local: { mysfitsTableName: 'm-local' } },
  provider: { stage: 'local', region: 'us-east-1', environment: { MYSFITS_TABLE: 'm-local' } },
  functions: {
    listMysfits: { handler: 'functions/listMysfits.handler', events: [{ http: { path: 'mysfits', method: 'get' } }] },
    likeMysfit: {
      handler: 'functions/likeMysfit.handler',
      name: 'custom-name',
      environment: { EXTRA: 'x' },
      events: [{ http: { path: '/mysfits/{mysfitId}/like', method: 'post', authorizer: {} } }],
    },
    enrichClicks: { handler: 'functions/enrichClicks.handler' },
  },
  resources: {
    Resources: {
      MysfitsTable: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          TableName: 'm-local',
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: [{ AttributeName: 'MysfitId', KeyType: 'HASH' }],
          PointInTimeRecoverySpecification: {},
        },
      },
      Bucket: { Type: 'AWS::S3::Bucket' },
    },
  },
};

test('a stage parameter is the stage block over the default block', () => {
  expect(stageParams(SERVICE, 'local')).toEqual({ mysfitsTableName: 'm-local', pointInTimeRecovery: false });
  expect(stageParams(SERVICE, 'prod')).toEqual({ mysfitsTableName: 'm-default', pointInTimeRecovery: false });
});

test('tables are the DynamoDB resources, with what CreateTable takes (and renamed on request)', () => {
  expect(tableDefinitions(SERVICE)).toEqual({
    MysfitsTable: { TableName: 'm-local', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'MysfitId', KeyType: 'HASH' }] },
  });
  expect(tableDefinitions(SERVICE, { MysfitsTable: 'other' }).MysfitsTable?.TableName).toBe('other');
});

test('routes, function names and settings come from the functions as resolved', () => {
  expect(routes(SERVICE)).toEqual([
    { functionKey: 'listMysfits', method: 'GET', path: '/mysfits', authorized: false },
    { functionKey: 'likeMysfit', method: 'POST', path: '/mysfits/{mysfitId}/like', authorized: true },
  ]);
  expect([deployedName(SERVICE, 'listMysfits'), deployedName(SERVICE, 'likeMysfit')]).toEqual(['mysfits-local-listMysfits', 'custom-name']);
  expect([functionSetting(SERVICE, 'MYSFITS_TABLE'), functionSetting(SERVICE, 'EXTRA'), functionSetting(SERVICE, 'NONE')]).toEqual([
    'm-local',
    'x',
    undefined,
  ]);
});
