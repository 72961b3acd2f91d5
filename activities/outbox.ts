/**
 * The embedded default's stand-in for SMTP and Twilio: every message becomes one JSON file in a
 * directory, the developer's local inbox. Files hold the code (they are the delivered message),
 * so they are written readable by their owner only.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChannelSender } from './delivery';
import { renderOtpMessage } from './templates';

export function createOutboxSender(dir: string): ChannelSender {
  return {
    async send(message) {
      // Every time: cheap, and survives the developer emptying the inbox by deleting it.
      await mkdir(dir, { recursive: true });
      const sentAt = new Date();
      // `20260115T110000123Z-3f9a1c2b`: names sort by send time.
      const id = `${sentAt.toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
      const { channel, ...content } = renderOtpMessage(message);
      const entry = { id, channel, to: message.to, sentAt: sentAt.toISOString(), ...content };
      const file = join(dir, `${id}.json`);
      // Written aside then renamed, so whoever watches the directory never reads half a file.
      await writeFile(`${file}.tmp`, `${JSON.stringify(entry, null, 2)}\n`, { mode: 0o600 });
      await rename(`${file}.tmp`, file);
      return { providerMessageId: id };
    },
  };
}
