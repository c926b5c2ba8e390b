/** What every view shares: the settings, the session, the API, and the person's likes and adoptions. */
import { Api, LoginRequired, type Me } from './api';
import { Auth } from './auth';
import { ClickTracker } from './clicks';
import type { SiteConfig } from './config';

export class App {
  readonly auth: Auth;
  readonly api: Api;
  readonly clicks: ClickTracker;
  /** The signed-in person's likes and adoptions (from GET /me), or null when nobody is logged in. */
  me: Me | null = null;
  email: string | null = null;
  private listeners: Array<() => void> = [];

  constructor(readonly config: SiteConfig, readonly root: HTMLElement) {
    this.auth = new Auth(config);
    this.api = new Api(config.apiUrl, this.auth);
    this.clicks = new ClickTracker(config.apiUrl, () => this.auth.idToken());
  }

  /** Re-reads who is logged in and what they like; views and the header redraw through onChange. */
  async refreshUser(): Promise<void> {
    this.email = await this.auth.email();
    this.me = null;
    if (this.email) {
      try {
        this.me = await this.api.me();
      } catch (error) {
        if (!(error instanceof LoginRequired)) throw error;
        this.email = null;
      }
    }
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

  logOut(): void {
    this.auth.logOut();
    void this.refreshUser();
    navigate('#/');
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
