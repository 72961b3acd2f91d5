/**
 * Payload encryption (SPEC §8): the data converter every Temporal client and worker of the
 * product uses, and the remote codec endpoints that let the Temporal UI and CLI read histories.
 */
import type { DataConverter } from '@temporalio/common';
import { PayloadEncryptionCodec } from './encryption-codec';
import type { PayloadKey } from './keys';

export {
  CODEC_BASE,
  codecCallAllowed,
  codecRoutes,
  codecUiPath,
  newCodecCapability,
  type CodecAccess,
} from './codec-server';
export { PayloadDecryptionError, PayloadEncryptionCodec } from './encryption-codec';
export { parsePayloadKeys, type PayloadKey } from './keys';

/** Resolved here, not by the SDK's bundler: it must be this module's sibling in src/ and dist/ alike. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/** Pass to `new Client({ dataConverter })`, `Worker.create({ dataConverter })` and replay workers alike. */
export function payloadDataConverter(keys: readonly PayloadKey[]): DataConverter {
  return {
    payloadCodecs: [new PayloadEncryptionCodec(keys)],
    failureConverterPath: FAILURE_CONVERTER_PATH,
  };
}
