/**
 * A TLS frontend for Temporal, as a cluster or Temporal Cloud presents one: the dev server has no
 * TLS flags, so a TLS terminator that requires a client certificate signed by the test CA stands
 * in front of it and pipes the decrypted bytes (gRPC over HTTP/2) to the plaintext dev server.
 *
 * Certificates come from the `openssl` binary (Debian's openssl package; node:crypto cannot make
 * X.509 certificates): no npm dependency, and the same commands an operator would run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';

export const SERVER_NAME = 'temporal.otp.test';

export interface TestPki {
  dir: string;
  /** PEM files: the CA the frontend trusts and is signed by, a client pair, and an unrelated CA. */
  files: {
    ca: string;
    serverCert: string;
    serverKey: string;
    clientCert: string;
    clientKey: string;
    otherCa: string;
  };
  close(): void;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function selfSignedCa(dir: string, name: string): void {
  openssl(dir, ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${name}.key`]);
  openssl(dir, [
    'req',
    '-x509',
    '-new',
    '-key',
    `${name}.key`,
    '-subj',
    `/CN=${name}`,
    '-days',
    '1',
    '-out',
    `${name}.pem`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
}

function signedBy(dir: string, ca: string, name: string, extensions: string): void {
  openssl(dir, ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${name}.key`]);
  openssl(dir, ['req', '-new', '-key', `${name}.key`, '-subj', `/CN=${name}`, '-out', `${name}.csr`]);
  writeFileSync(path.join(dir, `${name}.ext`), extensions);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.pem`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    `${name}.ext`,
    '-out',
    `${name}.pem`,
  ]);
}

/** A CA, a server certificate for SERVER_NAME signed by it, a client certificate signed by it, and another CA. */
export function makeTestPki(): TestPki {
  const dir = mkdtempSync(path.join(tmpdir(), 'otp-pki-'));
  selfSignedCa(dir, 'ca');
  selfSignedCa(dir, 'other-ca');
  signedBy(dir, 'ca', 'server', `subjectAltName=DNS:${SERVER_NAME}\nextendedKeyUsage=serverAuth\n`);
  signedBy(dir, 'ca', 'client', 'extendedKeyUsage=clientAuth\n');
  const file = (name: string) => path.join(dir, name);
  return {
    dir,
    files: {
      ca: file('ca.pem'),
      serverCert: file('server.pem'),
      serverKey: file('server.key'),
      clientCert: file('client.pem'),
      clientKey: file('client.key'),
      otherCa: file('other-ca.pem'),
    },
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface TlsFrontend {
  address: string;
  /** Handshakes the frontend refused, with the reason (e.g. no client certificate). */
  refusals: string[];
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 with TLS (HTTP/2 by ALPN, client certificate required) and forwards to `upstream`. */
export async function startTlsFrontend(pki: TestPki, upstream: string): Promise<TlsFrontend> {
  const [upstreamHost, upstreamPort] = [
    upstream.slice(0, upstream.lastIndexOf(':')),
    upstream.slice(upstream.lastIndexOf(':') + 1),
  ];
  const refusals: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = tls.createServer(
    {
      key: readFileSync(pki.files.serverKey),
      cert: readFileSync(pki.files.serverCert),
      ca: readFileSync(pki.files.ca),
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: ['h2'],
    },
    (client) => {
      const backend = net.connect(Number(upstreamPort), upstreamHost);
      sockets.add(client).add(backend);
      const end = () => {
        client.destroy();
        backend.destroy();
        sockets.delete(client);
        sockets.delete(backend);
      };
      client.on('error', end).on('close', end);
      backend.on('error', end).on('close', end);
      client.pipe(backend).pipe(client);
    },
  );
  server.on('tlsClientError', (err) => refusals.push(err.message));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    refusals,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
