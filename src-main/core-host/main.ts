// The core host's entry point (built to out/main/core-host.js). Inside the desktop app it runs as
// an Electron utilityProcess and receives its MessagePort from the main process; forked by plain
// Node (tests, `racedesk` never) it speaks the same messages over the child's IPC channel.
import { serveCoreHost } from './host.ts';
import type { PortToMain, ToHost } from './protocol.ts';

interface ElectronMessagePort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  /** The main process's end was closed, or the main process ended. */
  on(event: 'close', listener: () => void): void;
  start(): void;
}
interface ParentPort {
  once(event: 'message', listener: (event: { ports: ElectronMessagePort[] }) => void): void;
}

const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;

if (parentPort) {
  // The first message from the main process carries the port every later message uses.
  parentPort.once('message', ({ ports: [messagePort] }) => {
    const port: PortToMain = {
      postMessage: (message) => messagePort.postMessage(message),
      onMessage: (listener) => messagePort.on('message', ({ data }) => listener(data as ToHost)),
      onClose: (listener) => messagePort.on('close', listener),
    };
    serveCoreHost(port, (code) => process.exit(code));
    messagePort.start();
  });
} else if (process.send) {
  const send = process.send.bind(process);
  serveCoreHost(
    {
      // Once the parent is gone, sending would raise an uncaught 'error' instead of being dropped.
      postMessage: (message) => {
        if (process.connected) void send(message);
      },
      onMessage: (listener) => process.on('message', (message) => listener(message as ToHost)),
      onClose: (listener) => process.once('disconnect', listener),
    },
    // Disconnecting first delivers the answers already sent; then nothing is left to wait for.
    (code) => {
      if (!process.connected) process.exit(code);
      process.once('disconnect', () => process.exit(code));
      process.disconnect();
    },
  );
} else {
  process.stderr.write('The RaceDesk core host runs inside the desktop app (or a test), not on its own.\n');
  process.exit(2);
}
