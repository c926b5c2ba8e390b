/** POST /mysfits/{mysfitId}/like: the signed-in user likes a mysfit, at most once. Cognito. */
import { routeHandler } from '../shared/http';
import { currentUser } from '../shared/identity';
import { likeMysfit } from '../shared/likes';
import { mysfitPathSchema, parse } from '../shared/validation';

export const handler = routeHandler('POST /mysfits/{mysfitId}/like', async (event) => {
  const user = currentUser(event);
  const { mysfitId } = parse(mysfitPathSchema, event.pathParameters, 'path');
  return likeMysfit(user.id, mysfitId);
});
