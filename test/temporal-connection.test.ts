/**
 * Connections to a real cluster (SPEC §8): Temporal's environment configuration reaches the
 * connection options, and the product's one connection code (the API's client and the worker
 * use the same functions) talks mTLS to a TLS frontend that requires a client certificate —
 * and refuses, with a start-up message naming the TLS variables, a server it cannot verify.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, type TLSConfig } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createSessionActivities } from '../activities';
import { loadConfig } from '../src/config/config';
import {
  clusterTarget,
  connectClient,
  connectionOptions,
  connectWorker,
  loopbackTarget,
  TemporalConnectionError,
  type TemporalTarget,
} from '../src/temporal/connection';
import { startDevServer } from '../src/temporal/dev-server';
import { makeWorkerCurrent } from '../src/temporal/versioning';
import { createSessionWorker } from '../src/temporal/worker';
import { initialDeliveryUpdate, otpSession, verifyUpdate } from '../workflows/otp-session';
import { digests, keys, sessionStart, testDataConverter } from './support/session-env';
import { makeTestPki, SERVER_NAME, startTlsFrontend, type TestPki, type TlsFrontend } from './support/tls';

let pki: TestPki;

beforeAll(() => {
  pki = makeTestPki();
});
afterAll(() => pki?.close());

describe('connection options from the environment configuration', () => {
  it('carry the API key, the TLS server name, the CA and the client pair from the variables', () => {
    const fromVariables = clusterTarget(
      loadConfig({
        TEMPORAL_ADDRESS: 'otp.a1b2c.tmprl.cloud:7233',
        TEMPORAL_API_KEY: 'cloud-api-key',
        TEMPORAL_TLS_SERVER_NAME: SERVER_NAME,
        TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.files.ca,
        TEMPORAL_TLS_CLIENT_CERT_PATH: pki.files.clientCert,
        TEMPORAL_TLS_CLIENT_KEY_PATH: pki.files.clientKey,
      }),
    )!;
    expect(connectionOptions(fromVariables)).toEqual({
      address: 'otp.a1b2c.tmprl.cloud:7233',
      apiKey: 'cloud-api-key',
      tls: {
        serverNameOverride: SERVER_NAME,
        serverRootCACertificate: expect.any(Uint8Array),
        clientCertPair: { crt: expect.any(Uint8Array), key: expect.any(Uint8Array) },
      },
      metadata: undefined,
    });
  });

  it('come from TEMPORAL_CONFIG_FILE + TEMPORAL_PROFILE alone', () => {
    const file = path.join(pki.dir, 'temporal.toml');
    writeFileSync(
      file,
      [
        '[profile.prod]',
        'address = "temporal.internal:7233"',
        'api_key = "key-in-file"',
        '[profile.prod.tls]',
        `server_name = "${SERVER_NAME}"`,
        '[profile.prod.grpc_meta]',
        'x-otp-env = "prod"',
      ].join('\n'),
    );
    const target = clusterTarget(loadConfig({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'prod' }))!;
    expect(connectionOptions(target)).toEqual({
      address: 'temporal.internal:7233',
      apiKey: 'key-in-file',
      tls: { serverNameOverride: SERVER_NAME },
      metadata: { 'x-otp-env': 'prod' },
    });
  });

  it('stay plain loopback for the embedded dev server, whatever TLS settings are present', () => {
    expect(connectionOptions(loopbackTarget(7233))).toEqual({ address: '127.0.0.1:7233' });
  });
});

describe('a TLS frontend that requires a client certificate', () => {
  let devServer: TestWorkflowEnvironment;
  let frontend: TlsFrontend;
  const mtls = (overrides: Record<string, string> = {}): TemporalTarget =>
    clusterTarget(
      loadConfig({
        TEMPORAL_ADDRESS: frontend.address,
        TEMPORAL_TLS_SERVER_NAME: SERVER_NAME,
        TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.files.ca,
        TEMPORAL_TLS_CLIENT_CERT_PATH: pki.files.clientCert,
        TEMPORAL_TLS_CLIENT_KEY_PATH: pki.files.clientKey,
        ...overrides,
      }),
    )!;

  beforeAll(async () => {
    devServer = await startDevServer();
    frontend = await startTlsFrontend(pki, devServer.address);
  });
  afterAll(async () => {
    await frontend?.close();
    await devServer?.teardown();
  });

  it('serves the API’s client and the worker over mTLS: a session runs end to end', async () => {
    const clientConnection = await connectClient(mtls());
    const workerConnection = await connectWorker(mtls());
    try {
      const described = await clientConnection.workflowService.describeNamespace({ namespace: 'default' });
      expect(described.namespaceInfo?.name).toBe('default');

      const taskQueue = 'mtls-sessions';
      const worker = await createSessionWorker({
        connection: workerConnection,
        namespace: 'default',
        taskQueue,
        dataConverter: testDataConverter,
        activities: createSessionActivities({ keys, bcryptRounds: 4, senders: {} }),
      });
      const client = new Client({ connection: clientConnection, dataConverter: testDataConverter });
      await worker.runUntil(async () => {
        await makeWorkerCurrent(worker);
        const start = sessionStart();
        const handle = await client.workflow.start(otpSession, {
          taskQueue,
          workflowId: `otp-${start.tenant_id}-${start.session_id}`,
          args: [start],
        });
        const sent = await handle.executeUpdate(initialDeliveryUpdate);
        const verified = await handle.executeUpdate(verifyUpdate, {
          args: [digests(start.session_id, { email: sent.sandbox_otps!.email! })],
        });
        expect(verified).toMatchObject({ status: 'verified' });
      });
    } finally {
      await clientConnection.close();
      await workerConnection.close();
    }
  });

  it('refuses a connection without a client certificate (the frontend really requires mTLS)', async () => {
    const serverOnly: TLSConfig = { ...(mtls().tls as TLSConfig), clientCertPair: undefined };
    const refusalsBefore = frontend.refusals.length;
    await expect(connectWorker({ ...mtls(), tls: serverOnly })).rejects.toThrow(TemporalConnectionError);
    expect(frontend.refusals.slice(refusalsBefore)).toContainEqual(
      expect.stringMatching(/peer did not return a certificate/),
    );
  });

  it('stops the worker’s start-up on a server it cannot verify, naming the TLS variables', async () => {
    const wrongCa = mtls({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.files.otherCa });
    const error = await connectWorker(wrongCa).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(error).toBeInstanceOf(TemporalConnectionError);
    expect(error?.message).toMatch(
      new RegExp(
        `^Cannot connect to Temporal at ${frontend.address} over TLS with a client certificate: .*UnknownIssuer`,
      ),
    );
    expect(error?.message).toMatch(/TEMPORAL_TLS_SERVER_CA_CERT_PATH, TEMPORAL_TLS_SERVER_NAME/);
  });

  it('stops the API’s start-up on a server it cannot verify, with the handshake’s reason', async () => {
    // The client's gRPC library gives up after its 10 s connect deadline without saying why.
    const wrongCa = mtls({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.files.otherCa });
    const error = await connectClient(wrongCa).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(error).toBeInstanceOf(TemporalConnectionError);
    expect(error?.message).toMatch(/TLS handshake: (self[- ]signed certificate|unable to verify)/);
    expect(error?.message).toMatch(/TEMPORAL_TLS_SERVER_CA_CERT_PATH, TEMPORAL_TLS_SERVER_NAME/);
  }, 30_000);
});
