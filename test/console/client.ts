/**
 * What @hono/node-server hands the app with each request (`c.env.incoming`):
 * the console's access check reads the client address from its socket, so
 * `app.request` tests pass one in, as from a browser at `address`.
 */
export const from = (address: string) => ({
  incoming: { socket: { remoteAddress: address, remotePort: 50000, remoteFamily: address.includes(':') ? 'IPv6' : 'IPv4' } },
});

/** A browser on the machine the console runs on. */
export const LOCAL = from('127.0.0.1');
