import { fork } from 'node:child_process';
import type { CredentialStore } from '../core/credentials/keychain.ts';
import { CoreHostClient } from './client.ts';
import type { FromHost, ToHost } from './protocol.ts';

export interface ForkedCoreHost {
  client: CoreHostClient;
  pid: number | undefined;
  /** Closes this end of the channel, as a main process that ends or crashes does. */
  disconnect(): void;
}

/**
 * Starts the built core host as a plain Node child process, speaking the same messages as inside
 * the app (tests and the benchmark; the desktop app uses Electron's utilityProcess instead). This
 * process plays the main process, answering the host's keychain requests from `keychain`.
 */
export function forkCoreHost(entry: string, keychain: CredentialStore, env: NodeJS.ProcessEnv = process.env): ForkedCoreHost {
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
    keychain,
  );
  return {
    client,
    pid: child.pid,
    disconnect: () => {
      if (child.connected) child.disconnect();
    },
  };
}
