/** GET /mysfits[?filter=GoodEvil|LawChaos&value=...][&limit=N&cursor=C]: mysfits, a page at a time. Public. */
import { httpHandler, json } from '../shared/http';
import { listMysfits } from '../shared/mysfits';
import { listQuerySchema, pageQuerySchema, parse } from '../shared/validation';

export const handler = httpHandler(async (event) => {
  const filter = parse(listQuerySchema, event.queryStringParameters, 'query string');
  const page = parse(pageQuerySchema, event.queryStringParameters, 'query string');
  return json(200, await listMysfits(filter, page));
});
