/** shared/clicks.ts: the visitor pseudonym, keyed with the day's secret salt. */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { MAX_CLICKS_PER_BATCH, parseClicks, utcDay, visitorPseudonym } from '../../shared/clicks';
import { BadRequest } from '../../shared/errors';

const ADDRESS = '203.0.113.10';
const AGENT = 'Mozilla/5.0 (X11; Linux x86_64)';
const salt = randomBytes(32);

test("the pseudonym is an HMAC of address and browser under the day's salt, cut to 16 hex digits", () => {
  const expected = createHmac('sha256', salt).update(`${ADDRESS}\n${AGENT}`).digest('hex').slice(0, 16);
  expect(visitorPseudonym(salt, ADDRESS, AGENT)).toBe(`visitor-${expected}`);
});

test('it is not the unkeyed hash of day, address and browser that anyone could recompute', () => {
  const day = utcDay(new Date('2026-12-01T10:00:00Z'));
  const unkeyed = createHash('sha256').update(`${day}|${ADDRESS}|${AGENT}`).digest('hex').slice(0, 16);
  expect(visitorPseudonym(salt, ADDRESS, AGENT)).not.toBe(`visitor-${unkeyed}`);
});

test('without the stored salt it cannot be recomputed: any other salt gives another pseudonym', () => {
  const pseudonym = visitorPseudonym(salt, ADDRESS, AGENT);
  for (let i = 0; i < 100; i++) expect(visitorPseudonym(randomBytes(32), ADDRESS, AGENT)).not.toBe(pseudonym);
});

test("stable under one salt (one day), another under the next day's salt", () => {
  expect(visitorPseudonym(salt, ADDRESS, AGENT)).toBe(visitorPseudonym(Buffer.from(salt), ADDRESS, AGENT));
  expect(visitorPseudonym(randomBytes(32), ADDRESS, AGENT)).not.toBe(visitorPseudonym(salt, ADDRESS, AGENT));
});

test('address and browser are kept apart: moving text between them makes another pseudonym', () => {
  expect(visitorPseudonym(salt, '203.0.113.1', `0${AGENT}`)).not.toBe(visitorPseudonym(salt, '203.0.113.10', AGENT));
});

test('the day is the UTC date', () => {
  expect(utcDay(new Date('2026-12-01T23:59:59.999Z'))).toBe('2026-12-01');
  expect(utcDay(new Date('2026-12-02T00:00:00.000Z'))).toBe('2026-12-02');
});

describe('parseClicks: the body of POST /clicks', () => {
  const ID = '4e53920c-505a-4a90-a694-b9300791f0ae';
  const AT = '2026-11-27T14:04:51.250Z';

  test('a valid batch is its clicks, ids in lower case', () => {
    expect(
      parseClicks({
        clicks: [
          { action: 'view', mysfitId: ID.toUpperCase(), at: AT },
          { action: 'filter', filter: 'LawChaos', value: 'Chaotic', at: AT },
        ],
      }),
    ).toEqual([
      { action: 'view', mysfitId: ID, at: AT },
      { action: 'filter', filter: 'LawChaos', value: 'Chaotic', at: AT },
    ]);
  });

  test.each([
    ['no clicks at all', {}, 'Invalid clicks: clicks'],
    [
      'a bad id, named by its index',
      { clicks: [{ action: 'like', mysfitId: 'x', at: AT }] },
      'Invalid clicks: click 0 mysfitId: must be a UUID',
    ],
    [
      'a value of the other filter',
      { clicks: [{ action: 'filter', filter: 'GoodEvil', value: 'Lawful', at: AT }] },
      'click 0 value: must be one of Good, Neutral, Evil for GoodEvil',
    ],
    [
      'a user id in the body',
      { clicks: [{ action: 'view', mysfitId: ID, at: AT, userId: 'intruder' }] },
      'click 0: Unrecognized key: "userId"',
    ],
    [
      `more than ${MAX_CLICKS_PER_BATCH} clicks`,
      { clicks: Array.from({ length: MAX_CLICKS_PER_BATCH + 1 }, () => ({ action: 'view', mysfitId: ID, at: AT })) },
      'Invalid clicks: clicks',
    ],
  ])('%s is a BadRequest that says so', (_case, body, message) => {
    expect(() => parseClicks(body)).toThrow(BadRequest);
    expect(() => parseClicks(body)).toThrow(message);
  });
});
