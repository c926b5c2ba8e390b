/** POST /mysfits/{mysfitId}/adopt: the signed-in user adopts a mysfit nobody else has adopted. Cognito. */
import { adoptMysfit } from '../shared/adoptions';
import { routeHandler } from '../shared/http';
import { currentUser } from '../shared/identity';
import { mysfitPathSchema, parse } from '../shared/validation';

export const handler = routeHandler('POST /mysfits/{mysfitId}/adopt', async (event) => {
  const user = currentUser(event);
  const { mysfitId } = parse(mysfitPathSchema, event.pathParameters, 'path');
  return adoptMysfit(user.id, mysfitId);
});
