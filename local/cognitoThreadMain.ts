/**
 * The local Cognito's worker thread (cognitoThread.ts runs it, bundled): starts cognito-local with the settings it
 * was given, hands each code to the parent thread and waits until it is recorded there, and stops when asked.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startCognitoLocal, type CodeRecorder, type CognitoLocalOptions } from './cognito';
import type { ParentMessage, ThreadMessage } from './cognitoThread';

const parent = parentPort;
if (!parent) throw new Error('cognitoThreadMain: not in a worker thread');
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
