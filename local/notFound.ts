/**
 * An unknown route or method: API Gateway, as this service configures it (GatewayResponseUnknownRoute), answers
 * 404 {"message":"Not found"} with CORS; serverless offline answers with a body of its own that lists every route,
 * and has no setting for it. So the API's hapi server (serverlessOfflineInternals.ts hands it over) gets one
 * onPreResponse step, through hapi's own API, that turns that one answer into the gateway's.
 */
const OFFLINE_NOT_FOUND = 'Serverless-offline: route not found.';

interface HapiRequest {
  route: { path: string };
  response: { isBoom?: boolean; source?: { error?: unknown } } | null;
}

interface HapiToolkit {
  continue: symbol;
  response(body: unknown): { code(status: number): { type(type: string): unknown } };
}

export interface HapiServer {
  ext(event: 'onPreResponse', method: (request: HapiRequest, h: HapiToolkit) => unknown): void;
}

export function answerUnknownRoutesAsTheGateway(server: HapiServer): void {
  server.ext('onPreResponse', (request, h) => {
    const response = request.response;
    if (request.route.path !== '/{p*}' || !response || response.isBoom || response.source?.error !== OFFLINE_NOT_FOUND) return h.continue;
    return h.response({ message: 'Not found' }).code(404).type('application/json');
  });
}
