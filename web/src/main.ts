/** The Mythical Mysfits website: reads config.json, then routes '#/...' to its views. */
import { App, currentRoute } from './app';
import { loadConfig } from './config';
import { h } from './dom';
import { confirmView, forgotView, loginView, registerView } from './views/account';
import { mysfitsView } from './views/mysfits';
import { profileView } from './views/profile';

function header(app: App, nav: HTMLElement): void {
  const draw = () => {
    nav.replaceChildren(
      h('a', { href: '#/' }, 'Mysfits'),
      ...(app.email
        ? [
            h('span', { class: 'who' }, app.email),
            h('button', { type: 'button', class: 'link', onclick: () => void app.logOut() }, 'Log out'),
          ]
        : [h('a', { href: '#/login' }, 'Log in'), h('a', { href: '#/register' }, 'Register')]),
    );
  };
  app.onChange(draw);
  draw();
}

/** Each navigation is a visit of its own: starting one cancels the previous one's requests and drawing. */
async function route(app: App): Promise<void> {
  const visit = app.navigation.begin();
  const { path } = currentRoute();
  const profile = /^\/mysfits\/([^/]+)$/.exec(path);
  if (profile?.[1]) return profileView(app, visit, decodeURIComponent(profile[1]));
  if (path === '/register') return registerView(app, visit);
  if (path === '/confirm') return confirmView(app, visit);
  if (path === '/login') return loginView(app, visit);
  if (path === '/forgot') return forgotView(app, visit);
  return mysfitsView(app, visit);
}

async function start(): Promise<void> {
  const root = document.getElementById('app') as HTMLElement;
  const nav = document.getElementById('nav') as HTMLElement;
  let app: App;
  try {
    app = new App(await loadConfig(), root);
  } catch {
    root.replaceChildren(
      h('h1', {}, 'Mythical Mysfits'),
      h('p', { class: 'message error', role: 'alert' }, 'The site could not load its settings. Try again in a moment.'),
    );
    return;
  }
  header(app, nav);
  await app.refreshUser().catch(() => undefined);
  window.addEventListener('hashchange', () => void route(app));
  await route(app);
}

void start();
