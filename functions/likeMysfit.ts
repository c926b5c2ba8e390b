/** POST /mysfits/{mysfitId}/like: the signed-in user likes a mysfit, at most once. Cognito. */
import { httpHandler, json } from '../shared/http';
import { currentUser } from '../shared/identity';
import { likeMysfit } from '../shared/likes';
import { mysfitPathSchema, parse } from '../shared/validation';

export const handler = httpHandler(async (event) => {
  const user = currentUser(event);
  const { mysfitId } = parse(mysfitPathSchema, event.pathParameters, 'path');
  return json(200, await likeMysfit(user.id, mysfitId));
});
