/** What every view shares: the settings, the session, the API, and the person's likes and adoptions. */
import { Api, LoginRequired, type Me } from './api';
import { Auth } from './auth';
import { ClickTracker } from './clicks';
import type { SiteConfig } from './config';
import { Latest } from './latest';
import { Navigation } from './navigation';

export class App {
  readonly auth: Auth;
  readonly api: Api;
  readonly clicks: ClickTracker;
  /** The router's turns: only the current navigation draws (see navigation.ts). */
  readonly navigation: Navigation;
  /** The signed-in person's likes and adoptions (from GET /me), or null when nobody is logged in. */
  me: Me | null = null;
  email: string | null = null;
  private listeners: Array<() => void> = [];
  private readonly userRefreshes = new Latest();

  constructor(
    readonly config: SiteConfig,
    root: HTMLElement,
  ) {
    this.auth = new Auth(config);
    this.api = new Api(config.apiUrl, this.auth);
    this.clicks = new ClickTracker(config.apiUrl, () => this.auth.idToken());
    this.navigation = new Navigation(root);
  }

  /**
   * Re-reads who is logged in and what they like; the header redraws through onChange. A newer refresh (or a log
   * out) supersedes an older one: its GET /me is cancelled and its answer ignored.
   */
  async refreshUser(): Promise<void> {
    const turn = this.userRefreshes.begin();
    let email = await this.auth.email();
    let me: Me | null = null;
    if (email) {
      try {
        me = await this.api.me(turn.signal);
      } catch (error) {
        if (!turn.current) return;
        if (!(error instanceof LoginRequired)) throw error;
        email = null;
      }
    }
    if (!turn.current) return;
    this.email = email;
    this.me = me;
    this.notify();
  }

  private notify(): void {
    this.listeners.forEach((listener) => listener());
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  likes(mysfitId: string): boolean {
    return this.me?.liked.includes(mysfitId) ?? false;
  }

  adoptedByMe(mysfitId: string): boolean {
    return this.me?.adopted.includes(mysfitId) ?? false;
  }

  /** Revokes the session, then shows the person as logged out; back to the list, unless they have moved on meanwhile. */
  async logOut(): Promise<void> {
    const from = this.navigation.current;
    this.userRefreshes.end();
    await this.auth.logOut();
    this.email = null;
    this.me = null;
    this.notify();
    if (!from || from.current) navigate('#/');
  }
}

export function navigate(hash: string): void {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = hash;
}

/** The route and its query, from '#/path?key=value'. */
export function currentRoute(): { path: string; query: URLSearchParams } {
  const [path = '/', query = ''] = location.hash.replace(/^#/, '').split('?');
  return { path: path || '/', query: new URLSearchParams(query) };
}

/** Sends the person to log in, coming back here afterwards. */
export function toLogin(): void {
  navigate(`#/login?next=${encodeURIComponent(location.hash || '#/')}`);
}
