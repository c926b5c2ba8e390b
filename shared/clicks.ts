/**
 * Clicks: what the website reports people do (view, like, unlike, adopt, filter), validated, attributed to the
 * verified user (or a pseudonym for visitors) and shaped as the records the delivery stream stores.
 */
import { createHmac } from 'node:crypto';
import * as z from 'zod/mini';
import './zodMessages';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { bearerToken, InvalidToken, type IdTokenCheck } from './idToken';
import { logger } from './logger';
import type { DailySalts } from './visitorSalts';
import { FILTER_NAMES, GOOD_EVIL, LAW_CHAOS } from './contract';
import { filterValueProblem, invalid, mysfitIdSchema } from './validation';

export const MAX_CLICKS_PER_BATCH = 50;

const clientTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' });
const mysfitId = mysfitIdSchema;

const clickSchema = z.discriminatedUnion(
  'action',
  [
    z.strictObject({ action: z.enum(['view', 'like', 'unlike', 'adopt']), mysfitId, at: clientTime }),
    z
      .strictObject({
        action: z.literal('filter'),
        filter: z.enum(FILTER_NAMES),
        value: z.enum([...new Set([...GOOD_EVIL, ...LAW_CHAOS])] as [string, ...string[]]),
        at: clientTime,
      })
      .check((ctx) => {
        // Each filter has its own values, as GET /mysfits checks them: GoodEvil=Lawful is no filter the site has.
        const click = ctx.value;
        const problem = filterValueProblem(click.filter, click.value);
        if (problem) ctx.issues.push({ code: 'custom', path: ['value'], message: problem, input: click });
      }),
  ],
  { error: 'action must be one of view, like, unlike, adopt, filter' },
);

export const clicksBodySchema = z.strictObject({
  clicks: z
    .array(clickSchema)
    .check(
      z.minLength(1, 'must hold at least one click'),
      z.maxLength(MAX_CLICKS_PER_BATCH, `must hold at most ${MAX_CLICKS_PER_BATCH} clicks`),
    ),
});

export type Click = z.output<typeof clickSchema>;

/** The body as a list of clicks, or a 400 naming each bad click (by index) and what is wrong with it. */
export function parseClicks(body: unknown): Click[] {
  const result = z.safeParse(clicksBodySchema, body);
  if (result.success) return result.data.clicks;
  throw invalid('clicks', result.error.issues, (issue) => {
    const [first, index, ...rest] = issue.path;
    if (first === 'clicks' && typeof index === 'number') {
      return `click ${index}${rest.length ? ` ${rest.join('.')}` : ''}: ${issue.message}`;
    }
    return `${issue.path.join('.') || 'body'}: ${issue.message}`;
  });
}

export interface Clicker {
  userId: string;
  signedIn: boolean;
}

/**
 * Who clicked: the `sub` of a valid ID token of the pool, else a visitor pseudonym made from the source address and
 * browser, salted with the day (so it cannot be followed across days and the address is not stored). Never a value
 * from the body.
 */
export async function identifyClicker(
  event: APIGatewayProxyEvent,
  checkIdToken: IdTokenCheck,
  salts: DailySalts,
  now: Date,
): Promise<Clicker> {
  const token = bearerToken(event.headers.Authorization ?? event.headers.authorization);
  if (token) {
    try {
      const claims = await checkIdToken(token);
      return { userId: claims.sub, signedIn: true };
    } catch (error) {
      // A token that cannot be checked now (the pool's keys out of reach) counts as no token: clicks are not worth
      // failing for, and nobody is credited with what they did not prove.
      if (!(error instanceof InvalidToken)) logger.warn('ID token not checked; counted as a visitor', { reason: (error as Error).message });
    }
  }
  const { sourceIp, userAgent } = event.requestContext.identity;
  return { userId: visitorPseudonym(await salts.saltFor(utcDay(now)), sourceIp, userAgent ?? ''), signedIn: false };
}

export const utcDay = (now: Date) => now.toISOString().slice(0, 10);

/**
 * HMAC-SHA256 of address and browser under the day's secret salt: the same visitor within a day links up, but
 * without the salt (kept only server-side, only for the day) no one can recompute it from an address, and two days'
 * pseudonyms of one person do not link.
 */
export function visitorPseudonym(salt: Buffer, sourceIp: string, userAgent: string): string {
  const digest = createHmac('sha256', salt).update(`${sourceIp}\n${userAgent}`).digest('hex');
  return `visitor-${digest.slice(0, 16)}`;
}

/** A click as the delivery stream receives it, before enrichment with the mysfit's attributes. */
export interface ClickRecord {
  eventTime: string;
  receivedAt: string;
  userId: string;
  signedIn: boolean;
  action: Click['action'];
  mysfitId?: string;
  filter?: string;
  value?: string;
}

export function toClickRecord(click: Click, clicker: Clicker, receivedAt: Date): ClickRecord {
  const { at, ...rest } = click;
  return { eventTime: new Date(at).toISOString(), receivedAt: receivedAt.toISOString(), ...clicker, ...rest };
}
