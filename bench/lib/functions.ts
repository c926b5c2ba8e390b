/** The HTTP functions of serverless.yml the benchmarks run (each has a sample event in events/), and the project root. */
import { join } from 'node:path';
import type { FunctionName as AnyFunctionName } from '../../tests/support/lambda';

export const ROOT = join(__dirname, '..', '..');

export const FUNCTIONS = ['listMysfits', 'getMysfit', 'likeMysfit', 'unlikeMysfit', 'adoptMysfit', 'getMe'] as const satisfies readonly AnyFunctionName[];

export type FunctionName = (typeof FUNCTIONS)[number];
