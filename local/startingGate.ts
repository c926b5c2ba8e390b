/**
 * serverless offline starts beside the local services when their settings are known ahead (a kept user pool):
 * a request that reaches the API meanwhile waits here until they are up. The authorizer, which serverless offline
 * runs for every route (cognitoAuthorizer.ts), awaits it first; until the plugin closes the gate, it is open.
 */
let gate: Promise<void> = Promise.resolve();

/** Each request from now on waits for `started`; if that fails, they are refused. */
export function holdRequestsUntil(started: Promise<unknown>): void {
  gate = started.then(() => undefined);
  gate.catch(() => undefined); // a failure is the plugin's to report; the requests see it when they await
}

/** Resolves once the local services are up (at once when nothing is held); rejects if they failed to start. */
export function untilStarted(): Promise<void> {
  return gate;
}
