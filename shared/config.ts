/** The functions' settings, read from the environment once at cold start; a missing one fails the cold start. */


export function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') {
    throw new Error(`Missing required environment variable ${name}`);
  }
  return value;
}

/** A setting that must be given but may be empty, where empty is a choice (serverless.yml sets it so on purpose). */
function given(name: string): string {
  const value = process.env[name];
  if (value === undefined) throw new Error(`Missing required environment variable ${name}`);
  return value;
}

export const config = Object.freeze({
  /** The workshop's mysfits table (MysfitId hash key, GoodEvilIndex, LawChaosIndex). */
  mysfitsTable: required('MYSFITS_TABLE'),
  /** Per-user records: likes and adoptions. */
  activityTable: required('ACTIVITY_TABLE'),
  /** The one origin browsers may call the API from: '*' on the local stage, else the website's (empty: none). */
  corsOrigin: given('CORS_ORIGIN'),
  /** Set only when talking to DynamoDB Local; in AWS the SDK finds the regional endpoint itself. */
  dynamodbEndpoint: process.env.DYNAMODB_ENDPOINT || undefined,
});
