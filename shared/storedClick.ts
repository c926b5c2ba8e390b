/**
 * A click as the delivery stream stores it (one line of newline-delimited JSON under clicks/year=/month=/day=/):
 * the record recordClicks sends (shared/clicks.ts) with the mysfit's fields enrichClicks adds (shared/enrichment.ts).
 * This schema is the one description of it: the Glue table's columns (./infra/clickstream.js puts them in the
 * template) and the local report's DuckDB view (scripts/report/local.ts) are generated from it.
 */
import * as z from 'zod/mini';
import type { ClickRecord } from './clicks';
import type { MysfitAttributes } from './enrichment';

const text = z.optional(z.string());

export const storedClickSchema = z.object({
  /** When the browser says it happened (ISO 8601, UTC). */
  eventTime: z.string(),
  /** When POST /clicks took it (ISO 8601, UTC). */
  receivedAt: z.string(),
  userId: z.string(),
  signedIn: z.boolean(),
  action: z.enum(['view', 'like', 'unlike', 'adopt', 'filter']),
  mysfitId: text,
  name: text,
  species: text,
  goodevil: text,
  lawchaos: text,
  filter: text,
  value: text,
});

export type StoredClick = z.output<typeof storedClickSchema>;

// What the two functions write is a stored click, field for field: these fail to compile when either drifts.
type Written = ClickRecord & Partial<MysfitAttributes>;
const _written: StoredClick = {} as Written;
const _sameFields: [Exclude<keyof Written, keyof StoredClick>, Exclude<keyof StoredClick, keyof Written>] extends [never, never]
  ? true
  : false = true;
void _written;
void _sameFields;

/** The hive partitions of the bucket (strings, as Firehose writes them: year=2026/month=01/day=09). */
export const PARTITION_KEYS = ['year', 'month', 'day'] as const;

export interface Column {
  /** The JSON field. */
  field: string;
  /** The column: the field in lower case, as the Glue table's JSON SerDe matches fields (case-insensitively). */
  name: string;
  /** Hive/Glue type. */
  glueType: 'string' | 'boolean';
  /** The same type in DuckDB. */
  duckdbType: 'VARCHAR' | 'BOOLEAN';
}

const TYPES = {
  string: { glueType: 'string', duckdbType: 'VARCHAR' },
  enum: { glueType: 'string', duckdbType: 'VARCHAR' },
  boolean: { glueType: 'boolean', duckdbType: 'BOOLEAN' },
} as const;

/** The columns of the clicks table, in the schema's order, from the schema. */
export function clickColumns(): Column[] {
  return Object.entries(storedClickSchema._zod.def.shape).map(([field, schema]) => {
    const def = schema._zod.def;
    const inner = def.type === 'optional' ? (def as { innerType: z.ZodMiniType }).innerType._zod.def.type : def.type;
    const type = TYPES[inner as keyof typeof TYPES];
    if (!type) throw new Error(`storedClickSchema: the field ${field} is a ${inner}, which has no column type here`);
    return { field, name: field.toLowerCase(), ...type };
  });
}

/** The Glue table's StorageDescriptor.Columns. */
export const glueColumns = (): Array<{ Name: string; Type: string }> => clickColumns().map((c) => ({ Name: c.name, Type: c.glueType }));
