/** GET /mysfits/{mysfitId}: one mysfit's profile. Public. */
import { NotFound } from '../shared/errors';
import { httpHandler, json } from '../shared/http';
import { getMysfit } from '../shared/mysfits';
import { mysfitPathSchema, parse } from '../shared/validation';

export const handler = httpHandler(async (event) => {
  const { mysfitId } = parse(mysfitPathSchema, event.pathParameters, 'path');
  const mysfit = await getMysfit(mysfitId);
  if (!mysfit) throw new NotFound(`No mysfit with id ${mysfitId}`);
  return json(200, mysfit);
});
