/** The like toggle: a heart with the count; shows this person's state, and can be undone. */
import { ApiError, LoginRequired } from '../api';
import { toLogin, type App } from '../app';
import { h } from '../dom';
import type { Visit } from '../navigation';

/** The like itself is kept whatever happens next; only its redraw and messages belong to the visit that asked. */
export function likeButton(
  app: App,
  visit: Visit,
  mysfitId: string,
  name: string,
  likes: number,
  report: (text: string) => void,
): HTMLButtonElement {
  let liked = app.likes(mysfitId);
  let count = likes;
  const button = h('button', { type: 'button', class: 'like' });
  const draw = () => {
    button.setAttribute('aria-pressed', String(liked));
    button.setAttribute('aria-label', `${liked ? 'Unlike' : 'Like'} ${name} (${count} ${count === 1 ? 'like' : 'likes'})`);
    button.replaceChildren(h('span', { class: 'heart', 'aria-hidden': 'true' }, liked ? '♥' : '♡'), h('span', { class: 'count' }, count));
  };
  draw();
  button.addEventListener('click', async (event) => {
    event.preventDefault();
    event.stopPropagation();
    if (!app.email) return toLogin();
    button.disabled = true;
    try {
      const state = liked ? await app.api.unlike(mysfitId) : await app.api.like(mysfitId);
      app.clicks.track({ action: liked ? 'unlike' : 'like', mysfitId });
      liked = state.liked;
      count = state.likes;
      if (app.me) app.me.liked = liked ? [...new Set([...app.me.liked, mysfitId])] : app.me.liked.filter((id) => id !== mysfitId);
      if (visit.current) draw();
    } catch (error) {
      if (!visit.current) return;
      if (error instanceof LoginRequired) return toLogin();
      report(error instanceof ApiError ? error.message : 'Could not save your like. Try again.');
    } finally {
      button.disabled = false;
    }
  });
  return button;
}
