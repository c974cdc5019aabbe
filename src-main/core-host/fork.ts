import { fork } from 'node:child_process';
import { CoreHostClient } from './client.ts';
import type { FromHost, ToHost } from './protocol.ts';

/**
 * Starts the built core host as a plain Node child process, speaking the same messages as inside
 * the app (tests and the benchmark; the desktop app uses Electron's utilityProcess instead).
 */
export function forkCoreHost(entry: string, env: NodeJS.ProcessEnv = process.env): { client: CoreHostClient; pid: number | undefined } {
  // 'advanced' serialization is the structured clone a MessagePort uses.
  const child = fork(entry, [], { serialization: 'advanced', env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const client = new CoreHostClient(
    {
      postMessage: (message: ToHost) => {
        if (child.connected) child.send(message);
      },
      onMessage: (listener) => child.on('message', (message) => listener(message as FromHost)),
    },
    exited,
  );
  return { client, pid: child.pid };
}
