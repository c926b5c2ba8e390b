/** A stand-in X-Ray daemon for tests: a UDP socket on 127.0.0.1 that keeps every document it is sent. */
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import type { Subsegment } from '../../shared/tracing';

export const TRACE_ROOT = '1-6747a2f0-3c1e2d4b5a6f7e8d9c0b1a2f';
export const FUNCTION_SEGMENT = '53995c3f42cd8ad8';

export interface XRayDaemon {
  address: string;
  /** Waits until `count` documents arrived (or 2 s passed), and returns them. */
  received(count: number): Promise<Subsegment[]>;
  clear(): void;
  close(): Promise<void>;
}

export async function startXRayDaemon(): Promise<XRayDaemon> {
  const socket = createSocket('udp4');
  const documents: Subsegment[] = [];
  socket.on('message', (message) => {
    const [header, body] = message.toString('utf8').split('\n', 2);
    if (header !== '{"format":"json","version":1}') throw new Error(`not an X-Ray document header: ${header}`);
    documents.push(JSON.parse(String(body)) as Subsegment);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    async received(count) {
      const deadline = Date.now() + 2_000;
      while (documents.length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      // A moment more, so that a test can also see that nothing else came.
      await new Promise((resolve) => setTimeout(resolve, 50));
      return [...documents];
    },
    clear: () => void documents.splice(0),
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** Lambda's settings for a traced invocation: its trace header and the daemon. */
export function tracedInvocation(daemon: XRayDaemon, sampled = true): void {
  process.env.AWS_XRAY_DAEMON_ADDRESS = daemon.address;
  process.env._X_AMZN_TRACE_ID = `Root=${TRACE_ROOT};Parent=${FUNCTION_SEGMENT};Sampled=${sampled ? 1 : 0}`;
}

export function untraced(): void {
  delete process.env.AWS_XRAY_DAEMON_ADDRESS;
  delete process.env._X_AMZN_TRACE_ID;
}
