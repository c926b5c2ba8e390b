/**
 * Each function gets the environment it reads and nothing else (serverless.yml, as the Framework resolves it): it
 * cold-starts with exactly its own settings, and fails naming the setting when a required one is missing.
 */
import { resolvedServiceSync } from '../../dev/service';

const service = resolvedServiceSync('local');
/** Settings a function may be given empty or not at all (then it uses AWS's endpoints). */
const OPTIONAL = new Set(['DYNAMODB_ENDPOINT', 'FIREHOSE_ENDPOINT']);
const EVERY_SETTING = new Set(Object.values(service.functions).flatMap((f) => Object.keys(f.environment ?? {})));

/** The function's settings, with a stand-in for those the local plugin fills in when it starts. */
function settingsOf(functionKey: string): Record<string, string> {
  const environment = service.functions[functionKey]?.environment ?? {};
  return Object.fromEntries(Object.entries(environment).map(([name, value]) => [name, String(value) || `set-by-the-local-plugin-${name}`]));
}

async function coldStart(functionKey: string, env: Record<string, string>): Promise<unknown> {
  const saved = { ...process.env };
  for (const name of EVERY_SETTING) delete process.env[name];
  Object.assign(process.env, env);
  try {
    let handler: unknown;
    await jest.isolateModulesAsync(async () => {
      handler = ((await import(`../../${service.functions[functionKey]?.handler.replace(/\.handler$/, '')}`)) as { handler: unknown })
        .handler;
    });
    return handler;
  } finally {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}

const functionKeys = Object.keys(service.functions);

test('the provider gives every function only what all of them read', () => {
  expect(Object.keys(service.provider.environment ?? {}).sort()).toEqual(['POWERTOOLS_SERVICE_NAME']);
});

test.each(functionKeys)('%s cold-starts with exactly its own settings', async (functionKey) => {
  await expect(coldStart(functionKey, settingsOf(functionKey))).resolves.toEqual(expect.any(Function));
});

test.each(
  functionKeys.flatMap((functionKey) =>
    Object.keys(settingsOf(functionKey))
      .filter((name) => !OPTIONAL.has(name))
      .map((name) => [functionKey, name]),
  ),
)('%s without %s fails its cold start, naming it', async (functionKey, name) => {
  const rest = settingsOf(functionKey);
  delete rest[name];
  await expect(coldStart(functionKey, rest)).rejects.toThrow(`Missing required environment variable ${name}`);
});

test('the functions that answer browsers, and only those, get CORS_ORIGIN', () => {
  const withCors = functionKeys.filter((key) => 'CORS_ORIGIN' in settingsOf(key));
  const withRoutes = functionKeys.filter((key) => (service.functions[key]?.events ?? []).some((event) => event.http));
  expect(withCors).toEqual(withRoutes);
});
