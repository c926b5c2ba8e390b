/** One mysfit's profile: picture, facts, description, likes and adoption. */
import { ApiError, LoginRequired, type Mysfit } from '../api';
import { toLogin, type App } from '../app';
import { h, messageBox, picture } from '../dom';
import type { Visit } from '../navigation';
import { likeButton } from './likeButton';
import { alignment } from '../alignment';

function adoptButton(app: App, visit: Visit, mysfit: Mysfit, report: (text: string, kind?: 'error' | 'info') => void): HTMLElement {
  if (mysfit.adopted) {
    return h(
      'p',
      { class: 'badge adopted large', 'data-testid': 'adoption' },
      app.adoptedByMe(mysfit.mysfitId) ? 'Adopted by you' : 'Adopted',
    );
  }
  const button = h('button', { type: 'button', class: 'primary', 'data-testid': 'adoption' }, `Adopt ${mysfit.name}`);
  button.addEventListener('click', async () => {
    if (!app.email) return toLogin();
    button.disabled = true;
    try {
      await app.api.adopt(mysfit.mysfitId);
      app.clicks.track({ action: 'adopt', mysfitId: mysfit.mysfitId });
      if (app.me) app.me.adopted = [...new Set([...app.me.adopted, mysfit.mysfitId])];
      if (!visit.current) return;
      button.replaceWith(h('p', { class: 'badge adopted large', 'data-testid': 'adoption' }, 'Adopted by you'));
      report(`${mysfit.name} is yours. Welcome to the family!`, 'info');
    } catch (error) {
      if (!visit.current) return;
      if (error instanceof LoginRequired) return toLogin();
      if (error instanceof ApiError && error.status === 409) {
        button.replaceWith(h('p', { class: 'badge adopted large', 'data-testid': 'adoption' }, 'Adopted'));
      } else {
        button.disabled = false;
      }
      report(error instanceof ApiError ? error.message : 'Could not adopt. Try again.');
    }
  });
  return button;
}

export async function profileView(app: App, visit: Visit, mysfitId: string): Promise<void> {
  const message = messageBox();
  visit.draw(h('p', { class: 'back' }, h('a', { href: '#/' }, '← All mysfits')), h('h1', {}, 'Loading…'), message.element);
  let mysfit: Mysfit;
  try {
    mysfit = await app.api.getMysfit(mysfitId, visit.signal);
  } catch (error) {
    // Refused for load, the mysfit is not missing: say so, and nothing else.
    const heading = error instanceof ApiError && error.status === 429 ? 'Too many requests' : 'Mysfit not found';
    if (!visit.draw(h('p', { class: 'back' }, h('a', { href: '#/' }, '← All mysfits')), h('h1', {}, heading), message.element)) return;
    message.show(error instanceof ApiError && error.status === 404 ? 'There is no mysfit with that id.' : (error as Error).message);
    return;
  }
  // A profile the person left before it arrived was never viewed: no view click, no drawing.
  if (!visit.current) return;
  app.clicks.track({ action: 'view', mysfitId: mysfit.mysfitId });
  const report = (text: string, kind: 'error' | 'info' = 'error') => message.show(text, kind);
  visit.draw(
    h('p', { class: 'back' }, h('a', { href: '#/' }, '← All mysfits')),
    h(
      'article',
      { class: 'profile', 'data-mysfit-id': mysfit.mysfitId },
      picture(mysfit.profileImageUri, `${mysfit.name} the ${mysfit.species}`, 'portrait'),
      h(
        'div',
        { class: 'facts' },
        h('h1', {}, mysfit.name),
        message.element,
        h(
          'dl',
          {},
          h('dt', {}, 'Species'),
          h('dd', {}, mysfit.species),
          h('dt', {}, 'Age'),
          h('dd', {}, mysfit.age.toLocaleString('en-US')),
          h('dt', {}, 'Alignment'),
          h('dd', {}, alignment(mysfit.lawchaos, mysfit.goodevil)),
        ),
        h('p', { class: 'description' }, mysfit.description),
        h(
          'div',
          { class: 'actions' },
          likeButton(app, visit, mysfit.mysfitId, mysfit.name, mysfit.likes, report),
          adoptButton(app, visit, mysfit, report),
        ),
      ),
    ),
  );
}
