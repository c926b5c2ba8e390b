/** The request schemas and parse(): valid input comes back typed, invalid input is a BadRequest naming each field. */
import { z } from 'zod';
import { BadRequest } from '../../shared/errors';
import { listQuerySchema, mysfitPathSchema, parse } from '../../shared/validation';
import { MYSFIT_ID } from '../support/fixtures';

/** The BadRequest parse() throws, or a failure if it throws nothing (or something else). */
function rejection(run: () => unknown): BadRequest {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequest);
    return error as BadRequest;
  }
  throw new Error('expected a BadRequest, but the input was accepted');
}

describe('mysfitPathSchema', () => {
  test.each([
    ['a lower-case UUID', MYSFIT_ID],
    ['an upper-case UUID', MYSFIT_ID.toUpperCase()],
  ])('accepts %s, as the lower-case id the table stores', (_description, mysfitId) => {
    // Act
    const path = parse(mysfitPathSchema, { mysfitId }, 'path');
    // Assert
    expect(path).toEqual({ mysfitId: MYSFIT_ID });
  });

  test('keeps only mysfitId from the path parameters', () => {
    // Act
    const path = parse(mysfitPathSchema, { mysfitId: MYSFIT_ID, proxy: 'anything' }, 'path');
    // Assert
    expect(path).toEqual({ mysfitId: MYSFIT_ID });
  });

  test.each([
    ['a name', { mysfitId: 'evangeline' }],
    ['a UUID without hyphens', { mysfitId: MYSFIT_ID.replaceAll('-', '') }],
    ['a UUID in braces', { mysfitId: `{${MYSFIT_ID}}` }],
    ['a number', { mysfitId: 42 }],
    ['no mysfitId', {}],
    ['null path parameters', null],
    ['undefined path parameters', undefined],
  ])('rejects %s with a 400 naming mysfitId', (_description, input) => {
    // Act
    const error = rejection(() => parse(mysfitPathSchema, input, 'path'));
    // Assert
    expect(error.statusCode).toBe(400);
    expect(error.message).toBe('Invalid path: mysfitId must be a UUID');
  });
});

describe('listQuerySchema', () => {
  test.each([
    ['null (no query string)', null],
    ['an empty query string', {}],
    ['only parameters it does not know', { page: '2' }],
  ])('%s means no filter', (_description, input) => {
    // Act
    const filter = parse(listQuerySchema, input, 'query string');
    // Assert
    expect(filter).toBeUndefined();
  });

  test.each([
    ['GoodEvil', 'Good'],
    ['GoodEvil', 'Neutral'],
    ['GoodEvil', 'Evil'],
    ['LawChaos', 'Lawful'],
    ['LawChaos', 'Neutral'],
    ['LawChaos', 'Chaotic'],
  ])('filter=%s&value=%s is that filter', (filter, value) => {
    // Act
    const parsed = parse(listQuerySchema, { filter, value, page: '2' }, 'query string');
    // Assert
    expect(parsed).toEqual({ filter, value });
  });

  test.each([
    [{ filter: 'Species', value: 'Chimera' }, 'filter must be one of GoodEvil, LawChaos'],
    [{ filter: 'GoodEvil', value: 'Lawful' }, 'value must be one of Good, Neutral, Evil for GoodEvil'],
    [{ filter: 'LawChaos', value: 'Good' }, 'value must be one of Lawful, Neutral, Chaotic for LawChaos'],
    [{ filter: 'LawChaos' }, 'value must be one of Lawful, Neutral, Chaotic for LawChaos'],
    [{ filter: 'GoodEvil', value: '' }, 'value must be one of Good, Neutral, Evil for GoodEvil'],
    [{ value: 'Good' }, 'filter is required with value'],
  ])('%j is a 400: %s', (input, problem) => {
    // Act
    const error = rejection(() => parse(listQuerySchema, input, 'query string'));
    // Assert
    expect(error.message).toBe(`Invalid query string: ${problem}`);
  });
});

describe('parse', () => {
  test('names every offending field, joined, after what was being read', () => {
    // Arrange
    const schema = z.object({ name: z.string(), age: z.number().int() });
    // Act
    const error = rejection(() => parse(schema, { age: 1.5 }, 'body'));
    // Assert
    expect(error.message).toMatch(/^Invalid body: name .+; age .+$/);
  });

  test('a problem with the input as a whole has no field name in front', () => {
    // Act
    const error = rejection(() => parse(z.string({ error: 'must be text' }), 5, 'body'));
    // Assert
    expect(error.message).toBe('Invalid body: must be text');
  });
});
