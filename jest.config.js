/**
 * Six tiers, each runnable alone: `npm run test:unit`, `test:integration` (DynamoDB Local), `test:infra`
 * (serverless package), `test:deploy` (the prod template against AWS's specification and security rules), `test:stack` (the local stack over HTTP, as `npm start` runs it) and `test:e2e`
 * (the website in headless Chromium against the local stack). middy 6 ships ES modules only, so ts-jest also compiles it to CommonJS.
 */
const transform = {
  '^.+\\.[tj]s$': [
    'ts-jest',
    { tsconfig: { allowJs: true, module: 'commonjs', moduleResolution: 'node10', isolatedModules: true }, diagnostics: false },
  ],
};
const common = {
  testEnvironment: 'node',
  transform,
  transformIgnorePatterns: ['/node_modules/(?!(@middy|zod)/)'],
};

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/tests/unit/**/*.test.ts'],
      setupFiles: ['<rootDir>/tests/unit/env.ts'],
      setupFilesAfterEnv: ['<rootDir>/tests/support/matchers.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/tests/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/integration/globalSetup.ts',
      globalTeardown: '<rootDir>/tests/integration/globalTeardown.ts',
      setupFiles: ['<rootDir>/tests/integration/env.ts'],
      testTimeout: 30_000,
    },
    { ...common, displayName: 'infra', testMatch: ['<rootDir>/tests/infra/**/*.test.ts'] },
    { ...common, displayName: 'deploy', testMatch: ['<rootDir>/tests/deploy/**/*.test.ts'] },
    {
      ...common,
      displayName: 'stack',
      testMatch: ['<rootDir>/tests/stack/**/*.test.ts'],
      setupFiles: ['<rootDir>/tests/stack/env.ts'],
    },
    // Not a tier of npm test: `npm run test:deployed -- --stage <stage>` runs it against a stage it finds, and the
    // stack tier runs it that way against its own local system (tests/stack/deployed.test.ts).
    {
      ...common,
      displayName: 'deployed',
      testMatch: ['<rootDir>/tests/deployed/**/*.test.ts'],
      setupFiles: ['<rootDir>/tests/stack/env.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/tests/e2e/**/*.test.ts'],
      setupFiles: ['<rootDir>/tests/stack/env.ts'],
    },
  ],
};
