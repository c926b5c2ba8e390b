/**
 * A build's record of what it read, kept beside what it wrote, so that a start can use that build again rather than
 * make the same one: it is still good while none of those files has changed since the build began. For the website
 * (dev/website.ts) and the local Cognito's thread (local/cognitoThread.ts); the functions' bundles have their own
 * (local/bundleReuse.ts, from their source maps, as serverless-esbuild writes them).
 */
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PROJECT_ROOT } from './paths';

/** Stands for every installed package: it changes when they do. */
const LOCK_FILE = resolve(PROJECT_ROOT, 'package-lock.json');

interface Record {
  began: number;
  inputs: string[];
}

/**
 * The files a build read, from esbuild's metafile (paths relative to the working folder), plus `also`: the project's
 * own, with the lock file for the packages'.
 */
export function buildInputs(metafileInputs: object, also: readonly string[] = []): string[] {
  const own = Object.keys(metafileInputs)
    .filter((input) => !input.split(/[\\/]/).includes('node_modules'))
    .map((input) => resolve(input));
  return [...new Set([...own, ...also.map((file) => resolve(file)), LOCK_FILE])].sort();
}

/** Writes the record (whole or not at all). */
export function recordBuild<T extends object>(file: string, began: number, inputs: readonly string[], extra?: T): void {
  writeFileSync(`${file}.${process.pid}`, JSON.stringify({ ...extra, began, inputs }));
  renameSync(`${file}.${process.pid}`, file);
}

/** Removes the record: the build there is not to be used again without building (one that failed, say). */
export const forgetBuild = (file: string) => rmSync(file, { force: true });

/** The record, if every file it names is still there and unchanged since the build began; else undefined. */
export function unchangedBuild<T extends object>(file: string): (Record & Partial<T>) | undefined {
  let record: Record & Partial<T>;
  try {
    record = JSON.parse(readFileSync(file, 'utf8')) as Record & Partial<T>;
  } catch {
    return undefined;
  }
  if (typeof record.began !== 'number' || !Array.isArray(record.inputs)) return undefined;
  const unchanged = (input: string) => {
    try {
      return statSync(input).mtimeMs < record.began;
    } catch {
      return false;
    }
  };
  return record.inputs.every(unchanged) ? record : undefined;
}
