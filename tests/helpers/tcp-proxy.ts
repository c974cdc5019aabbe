import { createServer, connect, type Socket } from 'node:net';

/**
 * An in-process TCP proxy for network-failure tests: forwards 127.0.0.1:<port> to a target and,
 * when armed with cutAfter(n), lets exactly n more client-to-server bytes through, then drops
 * every connection at that byte (both directions, no goodbye) and refuses new ones until
 * restore() — the laptop's Wi-Fi going away in the middle of a message.
 */
export interface TcpProxy {
  port: number;
  /** Drop all connections once `bytes` more bytes went from client to server. */
  cutAfter(bytes: number): void;
  /** Forward normally again. */
  restore(): void;
  /** Whether the last armed cut has happened. */
  readonly cut: boolean;
  /** Client-to-server bytes forwarded since the last cutAfter/restore. */
  readonly forwarded: number;
  close(): Promise<void>;
}

/** listenHost: another loopback address (127.0.0.2 on Linux) reaches the target under a name its TLS certificate does not name. */
export async function startTcpProxy(target: { host: string; port: number }, listenHost = '127.0.0.1'): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let budget: number | null = null;
  let down = false;
  let forwarded = 0;

  const dropAll = () => {
    down = true;
    for (const [client, upstream] of pairs) {
      client.destroy();
      upstream.destroy();
    }
    pairs.clear();
  };

  const server = createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const close = () => {
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    client.on('data', (chunk: Buffer) => {
      if (budget !== null && forwarded + chunk.length >= budget) {
        const allowed = budget - forwarded;
        forwarded = budget;
        if (allowed > 0) upstream.write(chunk.subarray(0, allowed), dropAll);
        else dropAll();
        return;
      }
      forwarded += chunk.length;
      upstream.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, listenHost, resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('proxy has no port');

  return {
    port: address.port,
    cutAfter(bytes) {
      budget = bytes;
      forwarded = 0;
      down = false;
    },
    restore() {
      budget = null;
      forwarded = 0;
      down = false;
    },
    get cut() {
      return down;
    },
    get forwarded() {
      return forwarded;
    },
    async close() {
      dropAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
