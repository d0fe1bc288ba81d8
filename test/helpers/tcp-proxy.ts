import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of a server (PostgreSQL), which a test can
 * cut the way networks and databases fail:
 * - `stall()`: it stops answering, as a network partition or a hung server does.
 *   Open connections carry nothing either way (their bytes wait, as TCP's
 *   would); new ones are accepted and left waiting for the server.
 * - `refuse()`: every open connection is reset and every new one is reset on
 *   arrival, as while the server restarts.
 * - `restore()`: answering again. Stalled connections carry on where they
 *   stopped; connections accepted while stalled reach the server now.
 */
export interface TcpProxy {
  port: number;
  /** `url` with its host and port pointed at the proxy. */
  via(url: string): string;
  stall(): void;
  refuse(): void;
  restore(): void;
  close(): Promise<void>;
}

type Pair = { client: Socket; server: Socket | null };

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: 'open' | 'stalled' | 'refusing' = 'open';
  const pairs = new Set<Pair>();

  const reset = (s: Socket | null) => {
    if (s && !s.destroyed) s.resetAndDestroy();
  };

  function join(pair: Pair) {
    const server = connect(target.port, target.host);
    pair.server = server;
    server.on('data', (d) => pair.client.write(d));
    pair.client.on('data', (d) => server.write(d));
    const end = () => {
      pairs.delete(pair);
      reset(pair.client);
      reset(server);
    };
    server.on('error', end);
    server.on('close', end);
    pair.client.resume();
  }

  const listener: Server = createServer((client) => {
    if (mode === 'refusing') return client.resetAndDestroy();
    const pair: Pair = { client, server: null };
    pairs.add(pair);
    client.pause();
    client.on('error', () => {});
    client.on('close', () => {
      pairs.delete(pair);
      reset(pair.server);
    });
    if (mode === 'open') join(pair);
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const port = (listener.address() as { port: number }).port;

  return {
    port,
    via(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    stall() {
      mode = 'stalled';
      for (const p of pairs) {
        p.client.pause();
        p.server?.pause();
      }
    },
    refuse() {
      mode = 'refusing';
      for (const p of [...pairs]) {
        pairs.delete(p);
        reset(p.client);
        reset(p.server);
      }
    },
    restore() {
      mode = 'open';
      for (const p of pairs) {
        if (!p.server) join(p);
        else {
          p.client.resume();
          p.server.resume();
        }
      }
    },
    async close() {
      for (const p of pairs) {
        reset(p.client);
        reset(p.server);
      }
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    },
  };
}
