/** Where things are: the project's root, and the local system's data folder (LOCAL_DATA_DIR, else .local/). */
import { join } from 'node:path';

export const PROJECT_ROOT = join(__dirname, '..');

export function localDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.LOCAL_DATA_DIR || join(PROJECT_ROOT, '.local');
}
