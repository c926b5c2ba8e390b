/** Request input schemas; a request that does not match one is a 400 that says which input is wrong and why. */
import * as z from 'zod/mini';
import './zodMessages';
import { BadRequest } from './errors';
import { GOOD_EVIL, LAW_CHAOS, type MysfitFilter } from './mysfitItem';

export const mysfitPathSchema = z.object({
  // Ids are stored in lower case; an upper-case spelling of one is the same id.
  mysfitId: z.pipe(
    z.guid({ error: 'must be a UUID' }),
    z.transform((id: string) => id.toLowerCase()),
  ),
});

const FILTERS = ['GoodEvil', 'LawChaos'] as const;

export const listQuerySchema = z.pipe(
  z.object({
    filter: z.optional(z.enum(FILTERS, { error: `must be one of ${FILTERS.join(', ')}` })),
    value: z.optional(z.string()),
  }),
  z.transform((query: { filter?: (typeof FILTERS)[number]; value?: string }, ctx): MysfitFilter | undefined => {
    if (query.filter === undefined) {
      if (query.value !== undefined) ctx.issues.push({ code: 'custom', path: ['filter'], message: 'is required with value', input: query });
      return undefined;
    }
    const allowed: readonly string[] = query.filter === 'GoodEvil' ? GOOD_EVIL : LAW_CHAOS;
    if (query.value === undefined || !allowed.includes(query.value)) {
      ctx.issues.push({ code: 'custom', path: ['value'], message: `must be one of ${allowed.join(', ')} for ${query.filter}`, input: query });
      return z.NEVER;
    }
    return { filter: query.filter, value: query.value } as MysfitFilter;
  }),
);

/** Parses `input` (path parameters, query string...) or throws a BadRequest naming each offending field. */
export function parse<T extends z.ZodMiniType>(schema: T, input: unknown, what: string): z.output<T> {
  const result = z.safeParse(schema, input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.join('.');
    return field ? `${field} ${issue.message}` : issue.message;
  });
  throw new BadRequest(`Invalid ${what}: ${problems.join('; ')}`);
}
