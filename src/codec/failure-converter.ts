/**
 * The failure converter of every client and worker (also bundled into the workflow sandbox, so
 * it imports nothing but @temporalio/common): failure messages and stack traces move into an
 * encoded payload, which the PayloadCodec then encrypts. A delivery error quoting an address is
 * no more readable in history than the address itself.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
