/** GET /me: the signed-in user's id, email, and the mysfits they like and have adopted. Cognito. */
import { getUserActivity } from '../shared/activity';
import { routeHandler } from '../shared/http';
import { currentUser } from '../shared/identity';

export const handler = routeHandler('GET /me', async (event) => {
  const user = currentUser(event);
  const { liked, adopted } = await getUserActivity(user.id);
  return { userId: user.id, email: user.email ?? null, liked, adopted };
});
