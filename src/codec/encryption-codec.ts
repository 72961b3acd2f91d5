/**
 * The PayloadCodec of SPEC §8: every payload the product hands Temporal is sealed with
 * AES-256-GCM. The whole original payload (its metadata too, e.g. `json/plain`) is encrypted;
 * the sealed one says only `binary/encrypted` and the id of the key, so Temporal's server, its
 * database and anyone reading a history without the key see no address, metadata or template.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { PayloadKey } from './keys';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const { Payload: PayloadMessage } = temporal.api.common.v1;

/** A payload this codec cannot open; its message names the key id, never key material. */
export class PayloadDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadDecryptionError';
  }
}

const text = (bytes: Uint8Array | null | undefined) =>
  bytes ? Buffer.from(bytes).toString('utf8') : undefined;

/** The key id is authenticated with the ciphertext: moving a payload to another id fails like tampering. */
const additionalData = (keyId: string) => Buffer.from(`${ENCRYPTED_ENCODING}\n${keyId}`, 'utf8');

export function isEncrypted(payload: Payload): boolean {
  return text(payload.metadata?.[METADATA_ENCODING_KEY]) === ENCRYPTED_ENCODING;
}

export class PayloadEncryptionCodec implements PayloadCodec {
  private readonly current: PayloadKey;
  private readonly byId: Map<string, Buffer>;

  /** `keys[0]` encrypts; every key decrypts (rotation). */
  constructor(keys: readonly PayloadKey[]) {
    if (keys.length === 0) throw new Error('PayloadEncryptionCodec needs at least one key');
    this.current = keys[0];
    this.byId = new Map(keys.map(({ id, key }) => [id, key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.seal(payload));
  }

  /** Every payload the product reads was sealed by it: one without the marker is refused, not trusted. */
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (isEncrypted(payload)) return this.open(payload);
      const encoding = text(payload.metadata?.[METADATA_ENCODING_KEY]) ?? 'none';
      throw new PayloadDecryptionError(
        `Payload is not encrypted (encoding "${encoding}", expected "${ENCRYPTED_ENCODING}"): every payload of this product is sealed with OTP_PAYLOAD_KEYS, so it was written by something else`,
      );
    });
  }

  private seal(payload: Payload): Payload {
    const { id, key } = this.current;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(additionalData(id));
    const plaintext = PayloadMessage.encode(payload).finish();
    const sealed = Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: {
        [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING, 'utf8'),
        [KEY_ID_METADATA]: Buffer.from(id, 'utf8'),
      },
      data: sealed,
    };
  }

  private open(payload: Payload): Payload {
    const id = text(payload.metadata?.[KEY_ID_METADATA]);
    if (!id) throw new PayloadDecryptionError(`Encrypted payload carries no ${KEY_ID_METADATA}`);
    const key = this.byId.get(id);
    if (!key) {
      throw new PayloadDecryptionError(
        // The unknown id only: the ids of the keys in use are no business of whoever sent this payload.
        `Payload was encrypted with key "${id}", which is not in OTP_PAYLOAD_KEYS; add it back to decrypt`,
      );
    }
    const sealed = Buffer.from(payload.data ?? []);
    if (sealed.length < IV_BYTES + TAG_BYTES) {
      throw new PayloadDecryptionError(`Encrypted payload (key "${id}") is truncated`);
    }
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES))
      .setAAD(additionalData(id))
      .setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    let plaintext: Buffer;
    try {
      plaintext = Buffer.concat([
        decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new PayloadDecryptionError(
        `Encrypted payload failed authentication with key "${id}": it was altered, or sealed by another key of that id`,
      );
    }
    return PayloadMessage.decode(plaintext);
  }
}
