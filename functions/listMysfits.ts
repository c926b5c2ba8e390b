/** GET /mysfits[?filter=GoodEvil|LawChaos&value=...][&limit=N&cursor=C]: mysfits, a page at a time. Public. */
import { routeHandler } from '../shared/http';
import { listMysfits } from '../shared/mysfits';
import { listQuerySchema, pageQuerySchema, parse } from '../shared/validation';

export const handler = routeHandler('GET /mysfits', async (event) => {
  const filter = parse(listQuerySchema, event.queryStringParameters, 'query string');
  const page = parse(pageQuerySchema, event.queryStringParameters, 'query string');
  return listMysfits(filter, page);
});
