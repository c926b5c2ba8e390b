/**
 * cognito-local (cognito.ts) in a worker thread of its own (cognitoThreadMain.ts): loading it and answering its
 * requests take the other core, while this thread starts the rest of the local system and serverless offline
 * serves. Each code it would email is put in the mailbox here, before cognito-local answers.
 *
 * The thread runs one bundle of its code and cognito-local's (esbuild, into node_modules/.cache), built again only
 * when something it is made of changed (dev/buildRecord.ts): loaded from hundreds of files through tsx, the same
 * took twice as long and twice the CPU, on the start's critical path.
 */
import { mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { buildInputs, recordBuild, unchangedBuild } from '../dev/buildRecord';
import { PROJECT_ROOT } from '../dev/paths';
import type { CognitoLocal, CognitoLocalOptions } from './cognito';
import type { MailboxMessage } from './mailbox';

/** What the thread says. */
export type ThreadMessage =
  | { type: 'ready'; endpoint: string }
  | { type: 'failed'; message: string }
  | { type: 'code'; id: number; message: Omit<MailboxMessage, 'time'> };

const BUNDLE = join(PROJECT_ROOT, 'node_modules', '.cache', 'mysfits-local', 'cognitoThread.cjs');
const RECORD = `${BUNDLE}.inputs.json`;

/** The thread's bundle: the one there if nothing it is made of changed, else built now (about 0.2 s). */
export async function threadBundle(): Promise<string> {
  if (unchangedBuild(RECORD)) return BUNDLE;
  const began = Date.now();
  mkdirSync(dirname(BUNDLE), { recursive: true });
  const next = `${BUNDLE}.${process.pid}`;
  const result = await build({
    entryPoints: [join(__dirname, 'cognitoThreadMain.ts')],
    outfile: next,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    metafile: true,
    logLevel: 'silent',
  });
  renameSync(next, BUNDLE);
  recordBuild(RECORD, began, buildInputs(result.metafile.inputs, [__filename]));
  return BUNDLE;
}

export async function startCognitoThread(options: CognitoLocalOptions): Promise<CognitoLocal> {
  const { mailbox, ...settings } = options;
  const worker = new Worker(await threadBundle(), { workerData: settings });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return await new Promise<CognitoLocal>((resolve, reject) => {
    worker.on('message', (said: ThreadMessage) => {
      if (said.type === 'code') {
        mailbox.record(said.message);
        worker.postMessage({ type: 'recorded', id: said.id });
      } else if (said.type === 'ready') {
        resolve({
          endpoint: said.endpoint,
          stop: async () => {
            worker.postMessage({ type: 'stop' });
            await exited;
          },
        });
      } else {
        reject(new Error(said.message));
        void worker.terminate();
      }
    });
    worker.once('error', reject);
    void exited.then(() => reject(new Error("the local Cognito's thread ended")));
  });
}

/** What the parent thread says. */
export type ParentMessage = { type: 'recorded'; id: number } | { type: 'stop' };
