/** shared/tracing.ts doing nothing, for the bench's "without the tools" build. */
export const traceInvocation = (): object => ({ after: () => undefined });
export const captureClient = <Client>(client: Client): Client => client;
