/** GET /me: the signed-in user's id, email, and the mysfits they like and have adopted. Cognito. */
import { getUserActivity } from '../shared/activity';
import { httpHandler, json } from '../shared/http';
import { currentUser } from '../shared/identity';

export const handler = httpHandler(async (event) => {
  const user = currentUser(event);
  const { liked, adopted } = await getUserActivity(user.id);
  return json(200, { userId: user.id, email: user.email ?? null, liked, adopted });
});
