/** Request input schemas; a request that does not match one is a 400 that says which input is wrong and why. */
import { z } from 'zod';
import { BadRequest } from './errors';
import { GOOD_EVIL, LAW_CHAOS, type MysfitFilter } from './mysfitItem';

export const mysfitPathSchema = z.object({
  // Ids are stored in lower case; an upper-case spelling of one is the same id.
  mysfitId: z.guid({ error: 'must be a UUID' }).transform((id) => id.toLowerCase()),
});

const FILTERS = ['GoodEvil', 'LawChaos'] as const;

export const listQuerySchema = z
  .object({
    filter: z.enum(FILTERS, { error: `must be one of ${FILTERS.join(', ')}` }).optional(),
    value: z.string().optional(),
  })
  .transform((query, ctx): MysfitFilter | undefined => {
    if (query.filter === undefined) {
      if (query.value !== undefined) ctx.addIssue({ code: 'custom', path: ['filter'], message: 'is required with value' });
      return undefined;
    }
    const allowed: readonly string[] = query.filter === 'GoodEvil' ? GOOD_EVIL : LAW_CHAOS;
    if (query.value === undefined || !allowed.includes(query.value)) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `must be one of ${allowed.join(', ')} for ${query.filter}` });
      return z.NEVER;
    }
    return { filter: query.filter, value: query.value } as MysfitFilter;
  });

/** Parses `input` (path parameters, query string...) or throws a BadRequest naming each offending field. */
export function parse<T extends z.ZodType>(schema: T, input: unknown, what: string): z.output<T> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.join('.');
    return field ? `${field} ${issue.message}` : issue.message;
  });
  throw new BadRequest(`Invalid ${what}: ${problems.join('; ')}`);
}
