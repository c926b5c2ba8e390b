/** GET /mysfits[?filter=GoodEvil|LawChaos&value=...]: every mysfit, or those of one alignment. Public. */
import { httpHandler, json } from '../shared/http';
import { listMysfits } from '../shared/mysfits';
import { listQuerySchema, parse } from '../shared/validation';

export const handler = httpHandler(async (event) => {
  const filter = parse(listQuerySchema, event.queryStringParameters, 'query string');
  return json(200, { mysfits: await listMysfits(filter) });
});
