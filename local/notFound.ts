/**
 * An unknown route or method: API Gateway, as this service configures it (GatewayResponseUnknownRoute), answers
 * 404 {"message":"Not found"} with CORS; serverless offline answers with a body of its own that lists every route,
 * and has no setting for it. So each hapi server of this process gets one onPreResponse step that turns that one
 * answer into the gateway's.
 */
import { createRequire } from 'node:module';

const OFFLINE_NOT_FOUND = 'Serverless-offline: route not found.';

interface HapiRequest {
  route: { path: string };
  response: { isBoom?: boolean; source?: { error?: unknown } } | null;
}

interface HapiToolkit {
  continue: symbol;
  response(body: unknown): { code(status: number): { type(type: string): unknown } };
}

interface HapiServer {
  ext(event: string, method: (request: HapiRequest, h: HapiToolkit) => unknown): void;
  start(): Promise<void>;
}

let installed = false;

export function answerUnknownRoutesAsTheGateway(): void {
  if (installed) return;
  installed = true;
  // The hapi that serverless-offline itself loads (its own dependency, resolved from its folder).
  const fromOffline = createRequire(require.resolve('serverless-offline'));
  const hapi = fromOffline('@hapi/hapi') as { server(): HapiServer };
  const prototype = Object.getPrototypeOf(hapi.server()) as HapiServer;
  const start = prototype.start;
  prototype.start = function startWithGatewayNotFound(this: HapiServer) {
    this.ext('onPreResponse', (request, h) => {
      const response = request.response;
      if (request.route.path !== '/{p*}' || !response || response.isBoom || response.source?.error !== OFFLINE_NOT_FOUND) return h.continue;
      return h.response({ message: 'Not found' }).code(404).type('application/json');
    });
    return start.call(this);
  };
}
