/** config: settings read once at cold start; a missing one fails the cold start instead of falling back to a default. */

type Env = Record<string, string | undefined>;

const COMPLETE: Env = {
  MYSFITS_TABLE: 'mysfits-prod-mysfits',
  ACTIVITY_TABLE: 'mysfits-prod-user-activity',
  CORS_ORIGIN: 'https://www.example.com',
  DYNAMODB_ENDPOINT: undefined,
};

/** Loads shared/config afresh (as a cold start does) with `env`, then puts the environment back. */
async function coldStart(env: Env) {
  const saved: Env = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  const apply = (values: Env) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(env);
  try {
    let loaded: typeof import('../../shared/config') | undefined;
    await jest.isolateModulesAsync(async () => {
      loaded = await import('../../shared/config');
    });
    return loaded!.config;
  } finally {
    apply(saved);
  }
}

test('reads every setting', async () => {
  // Act
  const config = await coldStart({ ...COMPLETE, DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' });
  // Assert
  expect(config).toEqual({
    mysfitsTable: 'mysfits-prod-mysfits',
    activityTable: 'mysfits-prod-user-activity',
    corsOrigin: 'https://www.example.com',
    dynamodbEndpoint: 'http://127.0.0.1:8000',
  });
});

test('cannot be changed after the cold start', async () => {
  // Act
  const config = await coldStart(COMPLETE);
  // Assert
  expect(Object.isFrozen(config)).toBe(true);
});

test.each([
  ['MYSFITS_TABLE', undefined],
  ['MYSFITS_TABLE', ''],
  ['MYSFITS_TABLE', '   '],
  ['ACTIVITY_TABLE', undefined],
  ['ACTIVITY_TABLE', ''],
  ['CORS_ORIGIN', undefined],
])('%s set to %j fails the cold start, naming it', async (name, value) => {
  // Act
  const loading = coldStart({ ...COMPLETE, [name]: value });
  // Assert
  await expect(loading).rejects.toThrow(`Missing required environment variable ${name}`);
});

test("CORS_ORIGIN may be empty: serverless.yml's prod stage sets '' to allow no browser origin", async () => {
  // Act
  const config = await coldStart({ ...COMPLETE, CORS_ORIGIN: '' });
  // Assert
  expect(config.corsOrigin).toBe('');
});

test.each([
  ['unset', undefined],
  ['empty, as serverless.yml gives every stage but local', ''],
])('DYNAMODB_ENDPOINT %s means the regional endpoint', async (_description, value) => {
  // Act
  const config = await coldStart({ ...COMPLETE, DYNAMODB_ENDPOINT: value });
  // Assert
  expect(config.dynamodbEndpoint).toBeUndefined();
});
