/**
 * The Mysfits API from the page. Calls that need a user carry the ID token; on a 401 the session is refreshed and
 * the call retried once; a second 401 means the person must log in again. A 429 (the API's throttle, or the web
 * firewall's limit per address) is one short message, whatever its body says.
 */
import {
  byName,
  MAX_PAGE_SIZE,
  type Adoption,
  type FilterName,
  type LikeState,
  type Me,
  type Mysfit,
  type MysfitList,
} from '../../shared/contract';
import { TOO_MANY_REQUESTS } from './messages';

// The API's own types (shared/contract.ts): the page reads what the API sends, field for field.
export type { LikeState, Me, Mysfit };

/** What the API client needs of the session (the Auth class provides it). */
export interface Session {
  idToken(): Promise<string | null>;
  refreshedIdToken(): Promise<string | null>;
  logOut(): Promise<void>;
}

export type Filter = { filter: FilterName; value: string } | undefined;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The person has to log in (no session, or the API refused it even after a refresh). */
export class LoginRequired extends Error {
  constructor() {
    super('Please log in to do that.');
  }
}

type Fetch = typeof fetch;

export class Api {
  constructor(
    private readonly baseUrl: string,
    private readonly auth: Session,
    private readonly fetcher: Fetch = (...args) => fetch(...args),
  ) {}

  private async send(method: string, path: string, signal: AbortSignal | undefined, token?: string): Promise<Response> {
    try {
      return await this.fetcher(`${this.baseUrl}${path}`, { method, headers: token ? { Authorization: token } : {}, signal });
    } catch (error) {
      // Cancelled by the page (the person moved on): not a network failure, and nobody is told.
      if (signal?.aborted) throw error;
      throw new ApiError(0, 'Cannot reach the Mysfits service. Check your connection and try again.');
    }
  }

  private async call<T>(method: string, path: string, signedIn: boolean, signal?: AbortSignal): Promise<T> {
    let response: Response;
    if (signedIn) {
      const token = await this.auth.idToken();
      if (!token) throw new LoginRequired();
      response = await this.send(method, path, signal, token);
      if (response.status === 401) {
        const fresh = await this.auth.refreshedIdToken();
        if (fresh) response = await this.send(method, path, signal, fresh);
        if (!fresh || response.status === 401) {
          await this.auth.logOut();
          throw new LoginRequired();
        }
      }
    } else {
      response = await this.send(method, path, signal);
    }
    const body = (await response.json().catch(() => ({}))) as { message?: string };
    signal?.throwIfAborted();
    if (response.status === 429) throw new ApiError(429, TOO_MANY_REQUESTS);
    if (!response.ok) {
      throw new ApiError(response.status, body.message ?? `The service answered ${response.status}.`);
    }
    return body as T;
  }

  /** Every mysfit (of the filter), the largest page at a time, following nextCursor; by name. */
  async listMysfits(filter?: Filter, signal?: AbortSignal): Promise<Mysfit[]> {
    const mysfits: Mysfit[] = [];
    let cursor: string | undefined;
    do {
      const query = new URLSearchParams({ ...(filter ?? {}), limit: String(MAX_PAGE_SIZE), ...(cursor ? { cursor } : {}) });
      const page = await this.call<MysfitList>('GET', `/mysfits?${query}`, false, signal);
      mysfits.push(...page.mysfits);
      cursor = page.nextCursor;
    } while (cursor);
    return mysfits.sort(byName);
  }

  getMysfit(mysfitId: string, signal?: AbortSignal): Promise<Mysfit> {
    return this.call('GET', `/mysfits/${encodeURIComponent(mysfitId)}`, false, signal);
  }

  like(mysfitId: string): Promise<LikeState> {
    return this.call('POST', `/mysfits/${encodeURIComponent(mysfitId)}/like`, true);
  }

  unlike(mysfitId: string): Promise<LikeState> {
    return this.call('DELETE', `/mysfits/${encodeURIComponent(mysfitId)}/like`, true);
  }

  adopt(mysfitId: string): Promise<Adoption> {
    return this.call('POST', `/mysfits/${encodeURIComponent(mysfitId)}/adopt`, true);
  }

  me(signal?: AbortSignal): Promise<Me> {
    return this.call('GET', '/me', true, signal);
  }
}
