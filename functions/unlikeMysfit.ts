/** DELETE /mysfits/{mysfitId}/like: the signed-in user takes back a like. Cognito. */
import { routeHandler } from '../shared/http';
import { currentUser } from '../shared/identity';
import { unlikeMysfit } from '../shared/likes';
import { mysfitPathSchema, parse } from '../shared/validation';

export const handler = routeHandler('DELETE /mysfits/{mysfitId}/like', async (event) => {
  const user = currentUser(event);
  const { mysfitId } = parse(mysfitPathSchema, event.pathParameters, 'path');
  return unlikeMysfit(user.id, mysfitId);
});
