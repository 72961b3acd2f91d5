/**
 * The payload codec alone (SPEC §8): AES-256-GCM over the whole payload, a fresh IV each time,
 * the key id in metadata, rotation by key list, tampering and unknown keys refused with a clear
 * error, and a payload without the encryption marker refused, naming why.
 */
import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { PayloadDecryptionError, PayloadEncryptionCodec } from '../src/codec';
import { ENCRYPTED_ENCODING, KEY_ID_METADATA } from '../src/codec/encryption-codec';
import { formatPayloadKeys, parsePayloadKeys, type PayloadKey } from '../src/codec/keys';
import { resolvePayloadKeys } from '../src/config/secrets';
import { loadConfig } from '../src/config/config';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const keyA: PayloadKey = { id: 'a', key: randomBytes(32) };
const keyB: PayloadKey = { id: 'b', key: randomBytes(32) };
const text = (bytes?: Uint8Array | null) => Buffer.from(bytes ?? []).toString('utf8');
const SESSION_START = { recipients: { email: 'person@example.com' }, metadata: { order: 'A-1001' } };
const plain = (): Payload => defaultPayloadConverter.toPayload(SESSION_START);

describe('PayloadEncryptionCodec', () => {
  const codec = new PayloadEncryptionCodec([keyA]);

  it('round-trips a payload, metadata included, and shows nothing of it while sealed', async () => {
    const [sealed] = await codec.encode([plain()]);
    expect(text(sealed.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(sealed.metadata![KEY_ID_METADATA])).toBe('a');
    expect(Object.keys(sealed.metadata!).sort()).toEqual(['encoding', KEY_ID_METADATA].sort());
    expect(text(sealed.data)).not.toContain('person@example.com');
    expect(text(sealed.data)).not.toContain('json/plain');

    const [opened] = await codec.decode([sealed]);
    expect(text(opened.metadata!.encoding)).toBe('json/plain');
    expect(defaultPayloadConverter.fromPayload(opened)).toEqual(SESSION_START);
  });

  it('uses a fresh IV for every payload: the same value never seals to the same bytes', async () => {
    const [first, second] = await codec.encode([plain(), plain()]);
    expect(Buffer.from(first.data!).equals(Buffer.from(second.data!))).toBe(false);
    expect(Buffer.from(first.data!).subarray(0, 12).equals(Buffer.from(second.data!).subarray(0, 12))).toBe(
      false,
    );
  });

  it('refuses a payload without the encryption marker, naming its encoding', async () => {
    await expect(codec.decode([plain()])).rejects.toThrow(PayloadDecryptionError);
    await expect(codec.decode([plain()])).rejects.toThrow(
      /not encrypted \(encoding "json\/plain", expected "binary\/encrypted"\)/,
    );
  });

  it('refuses a tampered payload: GCM authentication fails with a clear error', async () => {
    const [sealed] = await codec.encode([plain()]);
    const data = Buffer.from(sealed.data!);
    data[20] ^= 0x01;
    const decoding = codec.decode([{ ...sealed, data }]);
    await expect(decoding).rejects.toThrow(PayloadDecryptionError);
    await expect(codec.decode([{ ...sealed, data }])).rejects.toThrow(
      /failed authentication with key "a": it was altered/,
    );
  });

  it('refuses a payload moved to another key id (the id is authenticated too)', async () => {
    const both = new PayloadEncryptionCodec([keyA, { id: 'b', key: keyA.key }]);
    const [sealed] = await both.encode([plain()]);
    const relabelled = { ...sealed, metadata: { ...sealed.metadata, [KEY_ID_METADATA]: Buffer.from('b') } };
    await expect(both.decode([relabelled])).rejects.toThrow(/failed authentication with key "b"/);
  });

  it('refuses a payload of an unknown key id, naming that id but not the known ones', async () => {
    const [sealed] = await new PayloadEncryptionCodec([keyB]).encode([plain()]);
    const known = new PayloadEncryptionCodec([keyA, { id: 'other-known-id', key: keyB.key }]);
    const refused = await known
      .decode([{ ...sealed, metadata: { ...sealed.metadata, [KEY_ID_METADATA]: Buffer.from('gone') } }])
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(refused).toEqual(
      new PayloadDecryptionError(
        'Payload was encrypted with key "gone", which is not in OTP_PAYLOAD_KEYS; add it back to decrypt',
      ),
    );
    expect(String(refused)).not.toMatch(/other-known-id|known:/);
  });

  it('rotates: the first key encrypts, every listed key decrypts', async () => {
    const [underA] = await codec.encode([plain()]);
    const rotated = new PayloadEncryptionCodec([keyB, keyA]);
    const [underB] = await rotated.encode([plain()]);
    expect(text(underB.metadata![KEY_ID_METADATA])).toBe('b');
    const decoded = await rotated.decode([underA, underB]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([
      SESSION_START,
      SESSION_START,
    ]);
  });
});

describe('OTP_PAYLOAD_KEYS', () => {
  const list = formatPayloadKeys([keyB, keyA]);

  it('parses keyId:base64key entries in order', () => {
    expect(loadConfig({ OTP_PAYLOAD_KEYS: ` ${list.replace(',', ' , ')} ` }).payloadKeys).toEqual([
      keyB,
      keyA,
    ]);
    expect(loadConfig({}).payloadKeys).toBeUndefined();
  });

  it.each([
    ['no key id', keyA.key.toString('base64'), /entry 1 must be keyId:base64key/],
    ['a short key', `a:${randomBytes(16).toString('base64')}`, /key "a" must be 32 bytes in base64/],
    ['not base64', `a:${'!'.repeat(44)}`, /key "a" must be 32 bytes in base64/],
    ['a repeated id', `${list},b:${keyA.key.toString('base64')}`, /key id "b" is listed twice/],
    ['nothing', ' , ', /must list at least one key/],
  ])('stops start-up on %s, naming the variable and never the key', (_case, value, message) => {
    expect(() => loadConfig({ OTP_PAYLOAD_KEYS: value })).toThrow(
      /^Invalid configuration:\n {2}- OTP_PAYLOAD_KEYS: /,
    );
    expect(() => loadConfig({ OTP_PAYLOAD_KEYS: value })).toThrow(message);
    let error: unknown;
    try {
      loadConfig({ OTP_PAYLOAD_KEYS: value });
    } catch (err) {
      error = err;
    }
    expect(String(error)).not.toContain(keyA.key.toString('base64'));
  });

  it('is required by the API and the worker alone, and generated once in the embedded default', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'otp-keys-'));
    try {
      const config = loadConfig({ DATA_DIR: dir, TEMPORAL_ADDRESS: 'temporal:7233' });
      expect(() => resolvePayloadKeys(config, { generate: false })).toThrow(
        /^OTP_PAYLOAD_KEYS is required when TEMPORAL_ADDRESS is set/,
      );
      const generated = resolvePayloadKeys(config, { generate: true });
      expect(generated).toHaveLength(1);
      expect(generated[0].key).toHaveLength(32);
      expect(resolvePayloadKeys(config, { generate: true })).toEqual(generated);
      expect(statSync(path.join(dir, 'secrets', 'otp_payload_keys')).mode & 0o777).toBe(0o600);
      expect(parsePayloadKeys(formatPayloadKeys(generated))).toEqual({ keys: generated });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
