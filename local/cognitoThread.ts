/**
 * cognito-local (cognito.ts) in a worker thread of its own: loading it (a third of a second of the thread) and
 * answering its requests take the other core, while this thread starts the rest of the local system and
 * serverless offline serves. Each code it would email is put in the mailbox here, before cognito-local answers.
 */
import { join } from 'node:path';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import type { CognitoLocal, CognitoLocalOptions, CodeRecorder } from './cognito';
import type { MailboxMessage } from './mailbox';

/** What the thread says. */
export type ThreadMessage =
  | { type: 'ready'; endpoint: string }
  | { type: 'failed'; message: string }
  | { type: 'code'; id: number; message: Omit<MailboxMessage, 'time'> };

export function startCognitoThread(options: CognitoLocalOptions): Promise<CognitoLocal> {
  const { mailbox, ...settings } = options;
  const worker = new Worker(join(__dirname, 'cognitoThreadMain.cjs'), { workerData: settings });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return new Promise<CognitoLocal>((resolve, reject) => {
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
type ParentMessage = { type: 'recorded'; id: number } | { type: 'stop' };

/**
 * In the worker thread: starts cognito-local with the settings it was given, hands each code to the parent thread
 * and waits until it is recorded, and stops the server when asked.
 */
export function serveInThisThread(): void {
  const parent = parentPort;
  if (!parent) throw new Error('cognitoThread: not in a worker thread');
  const say = (message: ThreadMessage) => parent.postMessage(message);
  const waiting = new Map<number, () => void>();
  let nextId = 0;
  const mailbox: CodeRecorder = {
    record: (message) =>
      new Promise<void>((resolve) => {
        const id = nextId++;
        waiting.set(id, resolve);
        say({ type: 'code', id, message });
      }),
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded in this thread only
  const { startCognitoLocal } = require('./cognito') as typeof import('./cognito');
  startCognitoLocal({ ...(workerData as Omit<CognitoLocalOptions, 'mailbox'>), mailbox }).then(
    (cognito) => {
      parent.on('message', (said: ParentMessage) => {
        if (said.type === 'recorded') {
          waiting.get(said.id)?.();
          waiting.delete(said.id);
        } else {
          void cognito.stop().finally(() => process.exit(0));
        }
      });
      say({ type: 'ready', endpoint: cognito.endpoint });
    },
    (error: unknown) => say({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
  );
}
