/**
 * The API's contract, as the functions answer and the website reads it: the field names (the workshop's), the
 * alignment filters and their values, and the shape of each request and response. Plain data and types, no imports:
 * the website bundles what it uses from here, and nothing server-side comes with it.
 */

export const GOOD_EVIL = ['Good', 'Neutral', 'Evil'] as const;
export const LAW_CHAOS = ['Lawful', 'Neutral', 'Chaotic'] as const;

/** The alignment filters of GET /mysfits (each served by its own index), with the values each allows. */
export const FILTER_VALUES = { GoodEvil: GOOD_EVIL, LawChaos: LAW_CHAOS } as const;
export type FilterName = keyof typeof FILTER_VALUES;
export const FILTER_NAMES = Object.keys(FILTER_VALUES) as FilterName[];

export type MysfitFilter =
  { filter: 'GoodEvil'; value: (typeof GOOD_EVIL)[number] } | { filter: 'LawChaos'; value: (typeof LAW_CHAOS)[number] };

/** A mysfit as the API shows it (the workshop's field names). */
export interface Mysfit {
  mysfitId: string;
  name: string;
  species: string;
  age: number;
  description: string;
  goodevil: string;
  lawchaos: string;
  thumbImageUri: string;
  profileImageUri: string;
  likes: number;
  adopted: boolean;
}

/** The most mysfits one page of GET /mysfits holds: `limit` is 1 to this. */
export const MAX_PAGE_SIZE = 100;

/** The order the list is shown in: by name, then id (so mysfits of one name keep their places). */
export const byName = (a: Mysfit, b: Mysfit): number => a.name.localeCompare(b.name) || a.mysfitId.localeCompare(b.mysfitId);

/** GET /mysfits[?limit=N&cursor=C]: a page; `nextCursor` when there may be more (pass it as `cursor`). */
export interface MysfitList {
  /** By name (then id) within the page; pages come in the table's (or the index's) order. */
  mysfits: Mysfit[];
  /** Where the next page starts, when there may be more. */
  nextCursor?: string;
}

/** POST and DELETE /mysfits/{mysfitId}/like */
export interface LikeState {
  mysfitId: string;
  likes: number;
  liked: boolean;
}

/** POST /mysfits/{mysfitId}/adopt */
export interface Adoption {
  mysfitId: string;
  adopted: true;
  adoptedByYou: true;
}

/** GET /me */
export interface Me {
  userId: string;
  email: string | null;
  liked: string[];
  adopted: string[];
}

/** One click of POST /clicks, as the website sends it (`at`: when, ISO 8601). */
export type ClickInput =
  | { action: 'view' | 'like' | 'unlike' | 'adopt'; mysfitId: string; at: string }
  | { action: 'filter'; filter: FilterName; value: string; at: string };

/** POST /clicks: the body, and the answer (202). */
export interface ClickBatch {
  clicks: ClickInput[];
}
export interface ClicksAccepted {
  accepted: number;
}

/** Every error: its status, and this body. */
export interface ErrorBody {
  message: string;
}

/**
 * What each route answers when it succeeds, the body being the type above that the website reads: the functions
 * are held to it by tsc (shared/http.ts's routeHandler), so a drift between server and site fails `npm run typecheck`.
 */
export interface Responses {
  'GET /mysfits': MysfitList;
  'GET /mysfits/{mysfitId}': Mysfit;
  'POST /mysfits/{mysfitId}/like': LikeState;
  'DELETE /mysfits/{mysfitId}/like': LikeState;
  'POST /mysfits/{mysfitId}/adopt': Adoption;
  'GET /me': Me;
  'POST /clicks': ClicksAccepted;
}
export type Route = keyof Responses;

/** Each route's status on success (every route of serverless.yml is here: tests/unit/conventions.test.ts). */
export const SUCCESS_STATUS: { readonly [R in Route]: 200 | 202 } = {
  'GET /mysfits': 200,
  'GET /mysfits/{mysfitId}': 200,
  'POST /mysfits/{mysfitId}/like': 200,
  'DELETE /mysfits/{mysfitId}/like': 200,
  'POST /mysfits/{mysfitId}/adopt': 200,
  'GET /me': 200,
  'POST /clicks': 202,
};
