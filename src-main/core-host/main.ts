// The core host's entry point (built to out/main/core-host.js). Inside the desktop app it runs as
// an Electron utilityProcess and receives its MessagePort from the main process; forked by plain
// Node (tests, `racedesk` never) it speaks the same messages over the child's IPC channel.
import { serveCoreHost } from './host.ts';
import type { FromHost, HostPort, ToHost } from './protocol.ts';

interface ElectronMessagePort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  start(): void;
}
interface ParentPort {
  once(event: 'message', listener: (event: { ports: ElectronMessagePort[] }) => void): void;
}

const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;

if (parentPort) {
  // The first message from the main process carries the port every later message uses.
  parentPort.once('message', ({ ports: [messagePort] }) => {
    const port: HostPort<FromHost, ToHost> = {
      postMessage: (message) => messagePort.postMessage(message),
      onMessage: (listener) => messagePort.on('message', ({ data }) => listener(data as ToHost)),
    };
    serveCoreHost(port, (code) => process.exit(code));
    messagePort.start();
  });
} else if (process.send) {
  const send = process.send.bind(process);
  serveCoreHost(
    {
      postMessage: (message) => void send(message),
      onMessage: (listener) => process.on('message', (message) => listener(message as ToHost)),
    },
    // Disconnecting first delivers the answers already sent; then nothing is left to wait for.
    (code) => {
      process.once('disconnect', () => process.exit(code));
      process.disconnect();
    },
  );
} else {
  process.stderr.write('The RaceDesk core host runs inside the desktop app (or a test), not on its own.\n');
  process.exit(2);
}
