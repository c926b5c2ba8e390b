/** POST /mysfits/{mysfitId}/adopt: the signed-in user adopts a mysfit nobody else has adopted. Cognito. */
import { adoptMysfit } from '../shared/adoptions';
import { httpHandler, json } from '../shared/http';
import { currentUser } from '../shared/identity';
import { mysfitPathSchema, parse } from '../shared/validation';

export const handler = httpHandler(async (event) => {
  const user = currentUser(event);
  const { mysfitId } = parse(mysfitPathSchema, event.pathParameters, 'path');
  return json(200, await adoptMysfit(user.id, mysfitId));
});
