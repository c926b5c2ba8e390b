/** GET /mysfits/{mysfitId}: one mysfit's profile. Public. */
import { NotFound } from '../shared/errors';
import { routeHandler } from '../shared/http';
import { getMysfit } from '../shared/mysfits';
import { mysfitPathSchema, parse } from '../shared/validation';

export const handler = routeHandler('GET /mysfits/{mysfitId}', async (event) => {
  const { mysfitId } = parse(mysfitPathSchema, event.pathParameters, 'path');
  const mysfit = await getMysfit(mysfitId);
  if (!mysfit) throw new NotFound(`No mysfit with id ${mysfitId}`);
  return mysfit;
});
