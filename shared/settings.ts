/**
 * Reading a function's settings from the environment, once, at cold start: each module that needs a setting reads
 * it itself (tables.ts, dynamodb.ts, http.ts, clicksConfig.ts), so a function is given, and fails fast without,
 * exactly the settings of the modules it loads.
 */

/** A setting that must be there and not blank. */
export function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') {
    throw new Error(`Missing required environment variable ${name}`);
  }
  return value;
}

/** A setting that must be given but may be empty, where empty is a choice (serverless.yml sets it so on purpose). */
export function given(name: string): string {
  const value = process.env[name];
  if (value === undefined) throw new Error(`Missing required environment variable ${name}`);
  return value;
}
