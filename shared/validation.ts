/** Request input schemas; a request that does not match one is a 400 that says which input is wrong and why. */
import * as z from 'zod/mini';
import './zodMessages';
import { BadRequest } from './errors';
import { FILTER_NAMES, FILTER_VALUES, MAX_PAGE_SIZE, type FilterName, type MysfitFilter } from './contract';

/** A mysfit's id: a UUID, stored in lower case (an upper-case spelling of one is the same id). */
export const mysfitIdSchema = z.pipe(
  z.guid({ error: 'must be a UUID' }),
  z.transform((id: string) => id.toLowerCase()),
);

export const mysfitPathSchema = z.object({ mysfitId: mysfitIdSchema });

/** The issue to report when `value` is not one the filter allows (or undefined when it is). */
export function filterValueProblem(filter: FilterName, value: string | undefined): string | undefined {
  const allowed: readonly string[] = FILTER_VALUES[filter];
  return value !== undefined && allowed.includes(value) ? undefined : `must be one of ${allowed.join(', ')} for ${filter}`;
}

/**
 * The one way a request's zod issues become a 400: "Invalid <what>: <issue>; <issue>", each issue described by
 * `describe` (by default: the field's path, then what is wrong with it).
 */
export function invalid(
  what: string,
  issues: readonly z.core.$ZodIssue[],
  describe = (issue: z.core.$ZodIssue) => {
    const field = issue.path.join('.');
    return field ? `${field} ${issue.message}` : issue.message;
  },
): BadRequest {
  return new BadRequest(`Invalid ${what}: ${issues.map(describe).join('; ')}`);
}

export const listQuerySchema = z.pipe(
  z.object({
    filter: z.optional(z.enum(FILTER_NAMES, { error: `must be one of ${FILTER_NAMES.join(', ')}` })),
    value: z.optional(z.string()),
  }),
  z.transform((query: { filter?: FilterName; value?: string }, ctx): MysfitFilter | undefined => {
    if (query.filter === undefined) {
      if (query.value !== undefined) ctx.issues.push({ code: 'custom', path: ['filter'], message: 'is required with value', input: query });
      return undefined;
    }
    const problem = filterValueProblem(query.filter, query.value);
    if (problem) {
      ctx.issues.push({ code: 'custom', path: ['value'], message: problem, input: query });
      return z.NEVER;
    }
    return { filter: query.filter, value: query.value } as MysfitFilter;
  }),
);

const LIMIT_PROBLEM = `must be a whole number from 1 to ${MAX_PAGE_SIZE}`;

/** `limit` (1 to MAX_PAGE_SIZE, a page of the list) and `cursor` (a nextCursor it gave) of GET /mysfits. */
export const pageQuerySchema = z.object({
  limit: z.optional(
    z.pipe(
      z.string().check(z.regex(/^[1-9]\d*$/, { error: LIMIT_PROBLEM })),
      z.pipe(
        z.transform((text: string) => Number(text)),
        z.number().check(z.maximum(MAX_PAGE_SIZE, { error: LIMIT_PROBLEM })),
      ),
    ),
  ),
  cursor: z.optional(z.string().check(z.minLength(1, { error: 'must not be empty' }), z.maxLength(2048, { error: 'is too long' }))),
});

/** Parses `input` (path parameters, query string...) or throws a BadRequest naming each offending field. */
export function parse<T extends z.ZodMiniType>(schema: T, input: unknown, what: string): z.output<T> {
  const result = z.safeParse(schema, input ?? {});
  if (result.success) return result.data;
  throw invalid(what, result.error.issues);
}
