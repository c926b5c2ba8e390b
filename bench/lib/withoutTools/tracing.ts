/** shared/tracing.ts doing nothing, for the bench's "without the tools" build. */
export const traceInvocation = (): object => ({ after: () => undefined });
export const captureClient = <Client>(client: Client): Client => client;
export const withTraceContext = <Handler>(handler: Handler): Handler => handler;
export const traceRemoteCall = async <T>(_url: string, _method: string, call: () => Promise<{ result: T }>): Promise<T> =>
  (await call()).result;
