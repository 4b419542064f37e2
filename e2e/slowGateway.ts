/**
 * A gateway on 127.0.0.1 in front of a collector that answers POSTs `gw.slow` ms late, as a collector
 * far from the shopper does, so batches are still in flight when the page goes. It is a server of its
 * own, not Playwright's `route()`: a request held by `route()` is lost when its page goes, even a
 * keepalive one the browser would have delivered (seen: 16 of 50 lost, none stored).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlowGateway {
  /** The gateway's `/collect` (a page's `?ep=`, URL-encoded). */
  ep: string;
  /** How late POSTs are answered, in ms (changeable at any time). */
  slow: number;
  close(): Promise<void>;
}

export async function slowGateway(collectorOrigin: string, slow: number): Promise<SlowGateway> {
  const server = http.createServer((req, res) => {
    const body: Buffer[] = [];
    req.on('data', (c: Buffer) => body.push(c));
    req.on('end', () =>
      setTimeout(
        () => {
          const headers = { ...req.headers };
          delete headers.host;
          const to = http.request(
            new URL(req.url!, collectorOrigin),
            { method: req.method, headers },
            (r) => {
              res.writeHead(r.statusCode!, r.headers);
              r.pipe(res);
            },
          );
          to.on('error', () => res.destroy());
          to.end(Buffer.concat(body));
        },
        req.method === 'POST' ? gw.slow : 0,
      ),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const gw: SlowGateway = {
    ep: encodeURIComponent(`http://127.0.0.1:${(server.address() as AddressInfo).port}/collect`),
    slow,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
  return gw;
}
