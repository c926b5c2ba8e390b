/**
 * Loads modules afresh, as a cold start does, with `env` set first (settings, Powertools Logger and Metrics read
 * theirs when a module loads), then puts the environment back. A name set to undefined is removed for the load.
 */
export type Env = Record<string, string | undefined>;

function apply(values: Env): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}

export async function coldStart<T>(env: Env, load: () => Promise<T>): Promise<T> {
  const saved: Env = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  apply(env);
  try {
    let loaded: T | undefined;
    await jest.isolateModulesAsync(async () => {
      loaded = await load();
    });
    return loaded as T;
  } finally {
    apply(saved);
  }
}
