/** DELETE /mysfits/{mysfitId}/like: the signed-in user takes back a like. Cognito. */
import { httpHandler, json } from '../shared/http';
import { currentUser } from '../shared/identity';
import { unlikeMysfit } from '../shared/likes';
import { mysfitPathSchema, parse } from '../shared/validation';

export const handler = httpHandler(async (event) => {
  const user = currentUser(event);
  const { mysfitId } = parse(mysfitPathSchema, event.pathParameters, 'path');
  return json(200, await unlikeMysfit(user.id, mysfitId));
});
