/** What the page says when a service refuses it for load or rate (the browser tests read the same words). */

/** A 429 of the API: its throttle (a route's or the stage's), or the web firewall's limit per address. */
export const TOO_MANY_REQUESTS = 'Too many requests: try again in a moment.';
/** A sign-up refused for rate: no code was sent, and trying again at once will not help. */
export const SIGN_UP_REFUSED = 'Too many sign-ups from here just now: no code was sent. Wait a few minutes, then try again.';
/** A new code or a forgotten password's code refused for rate. */
export const CODE_REFUSED = 'Too many codes asked for just now: no email was sent. Wait a few minutes, then try again.';
