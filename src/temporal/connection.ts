/**
 * Connections to a Temporal frontend, one way for the API's client (`Connection`) and the worker
 * (`NativeConnection`): the address plus TLS, API key and gRPC metadata from Temporal's
 * environment configuration (SPEC §8, resolved in src/config/config.ts). A frontend that cannot be
 * reached stops start-up with one message naming the variables to check.
 */
import net from 'node:net';
import tls from 'node:tls';
import { Connection, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { Config, TemporalConnectionSettings } from '../config/config';

/** A frontend and how to reach it. */
export interface TemporalTarget extends TemporalConnectionSettings {
  address: string;
}

/** The configured cluster (TEMPORAL_ADDRESS or the profile's address); undefined in the embedded default. */
export function clusterTarget(config: Config): TemporalTarget | undefined {
  const { address, connection } = config.temporal;
  return address ? { ...connection, address } : undefined;
}

/** The embedded dev server: plain gRPC on the loopback interface, whatever TLS settings are present. */
export function loopbackTarget(port: number): TemporalTarget {
  return { address: `127.0.0.1:${port}` };
}

/** The options both connection kinds take (their option types agree on these fields). */
export function connectionOptions(target: TemporalTarget): ConnectionOptions & NativeConnectionOptions {
  return {
    address: target.address,
    tls: target.tls,
    apiKey: target.apiKey,
    metadata: target.metadata,
  };
}

export async function connectClient(target: TemporalTarget): Promise<Connection> {
  try {
    return await Connection.connect(connectionOptions(target));
  } catch (err) {
    // The client's gRPC library reports a refused handshake only as "Failed to connect before the deadline".
    throw new TemporalConnectionError(target, err, await tlsHandshakeProblem(target));
  }
}

export async function connectWorker(target: TemporalTarget): Promise<NativeConnection> {
  try {
    return await NativeConnection.connect(connectionOptions(target));
  } catch (err) {
    throw new TemporalConnectionError(target, err);
  }
}

/** How a target is reached, in words, and the variables that decide it. */
function howReached(target: TemporalTarget): { how: string; variables: string[] } {
  const tls = target.tls ? (typeof target.tls === 'object' ? target.tls : {}) : undefined;
  const variables = ['TEMPORAL_ADDRESS'];
  const parts: string[] = [];
  if (tls) {
    parts.push(tls.clientCertPair ? 'TLS with a client certificate' : 'TLS');
    variables.push('TEMPORAL_TLS', 'TEMPORAL_TLS_SERVER_CA_CERT_PATH', 'TEMPORAL_TLS_SERVER_NAME');
    if (tls.clientCertPair) variables.push('TEMPORAL_TLS_CLIENT_CERT_PATH', 'TEMPORAL_TLS_CLIENT_KEY_PATH');
  } else {
    parts.push('plaintext (TEMPORAL_TLS is off)');
    variables.push('TEMPORAL_TLS');
  }
  if (target.apiKey) {
    parts.push('an API key');
    variables.push('TEMPORAL_API_KEY');
  }
  return { how: parts.join(' and '), variables };
}

/**
 * Why a TLS handshake with the target fails, if it does: one handshake with the same CA, server
 * name and client certificate, waiting briefly for a TLS 1.3 server's verdict on the certificate.
 */
export function tlsHandshakeProblem(target: TemporalTarget, verdictMs = 1000): Promise<string | undefined> {
  if (!target.tls) return Promise.resolve(undefined);
  const settings = typeof target.tls === 'object' ? target.tls : {};
  const separator = target.address.lastIndexOf(':');
  const host = target.address.slice(0, separator).replace(/^\[(.*)\]$/, '$1');
  const bytes = (data: Uint8Array | undefined) => (data ? Buffer.from(data) : undefined);
  return new Promise((resolve) => {
    const socket = tls.connect({
      host,
      port: Number(target.address.slice(separator + 1)),
      servername: settings.serverNameOverride ?? (net.isIP(host) ? undefined : host),
      ca: bytes(settings.serverRootCACertificate),
      cert: bytes(settings.clientCertPair?.crt),
      key: bytes(settings.clientCertPair?.key),
      ALPNProtocols: ['h2'],
    });
    let timer = setTimeout(() => settle(undefined), 5 * verdictMs);
    function settle(problem: string | undefined) {
      clearTimeout(timer);
      socket.destroy();
      resolve(problem);
    }
    socket.once('error', (err) => settle(`TLS handshake: ${err.message}`));
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      timer = setTimeout(() => settle(undefined), verdictMs);
    });
  });
}

export class TemporalConnectionError extends Error {
  constructor(target: TemporalTarget, cause: unknown, diagnosis?: string) {
    const { how, variables } = howReached(target);
    const message = cause instanceof Error ? cause.message : String(cause);
    const reason = diagnosis ? `${message} (${diagnosis})` : message;
    super(
      `Cannot connect to Temporal at ${target.address} over ${how}: ${reason}. ` +
        `Check ${variables.join(', ')} (or the profile of TEMPORAL_CONFIG_FILE / TEMPORAL_PROFILE).`,
      { cause },
    );
    this.name = 'TemporalConnectionError';
  }
}
