/** Runs the API's Koa app on an HTTP server; used by `src/bin/api.ts` and the embedded default `src/bin/dev.ts`. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type ApiDependencies } from './app';

export interface RunningApi {
  /** e.g. `http://127.0.0.1:3000` */
  url: string;
  server: Server;
  /** Stops accepting connections and waits for the requests in flight. */
  close(): Promise<void>;
}

export interface StartApiOptions extends ApiDependencies {
  /** Defaults to `config.port`; 0 picks a free port. */
  port?: number;
  /** Defaults to `config.host` (HOST: 127.0.0.1 unless set; containers set 0.0.0.0). */
  host?: string;
}

export async function startApi({ port, host, ...dependencies }: StartApiOptions): Promise<RunningApi> {
  const app = createApp(dependencies);
  const server = createServer(app.callback());
  const listenHost = host ?? dependencies.config.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port ?? dependencies.config.port, listenHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  // Listening on every interface: localhost is the address that works from this machine.
  const shownHost = ['0.0.0.0', '::'].includes(listenHost)
    ? 'localhost'
    : listenHost.includes(':')
      ? `[${listenHost}]`
      : listenHost;
  return {
    url: `http://${shownHost}:${address.port}`,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Idle keep-alive connections would hold close() open until they time out.
        server.closeIdleConnections();
      }),
  };
}
