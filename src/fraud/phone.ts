/**
 * Phone recipients parsed with libphonenumber's full metadata (SPEC §11): a number is valid for
 * its country or refused, and a valid one has a country and a number type. Sessions keep the
 * E.164 form, so one number written two ways is one recipient.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { isPhoneChannel, type Channel, type PhoneChannel } from '../../workflows/channels';
import type { NumberType, PhoneFacts } from '../../workflows/session-types';

export interface ParsedPhone extends PhoneFacts {
  e164: string;
}

/** The number, or undefined when it is not a valid number of any country. Needs the leading `+`. */
export function parsePhone(input: string): ParsedPhone | undefined {
  if (!input.startsWith('+')) return undefined;
  const parsed = parsePhoneNumberFromString(input);
  if (!parsed?.isValid()) return undefined;
  return {
    e164: parsed.number,
    ...(parsed.country ? { country: parsed.country } : {}),
    number_type: (parsed.getType() ?? 'UNKNOWN') as NumberType,
  };
}

/** The facts of each phone channel's recipient, for the session's detail (numbers validated already). */
export function phoneFactsOf(
  channels: readonly Channel[],
  recipients: Partial<Record<Channel, string>>,
): Partial<Record<PhoneChannel, PhoneFacts>> {
  const facts: Partial<Record<PhoneChannel, PhoneFacts>> = {};
  for (const channel of channels) {
    const parsed =
      isPhoneChannel(channel) && recipients[channel] ? parsePhone(recipients[channel]) : undefined;
    if (parsed && isPhoneChannel(channel)) {
      facts[channel] = {
        ...(parsed.country ? { country: parsed.country } : {}),
        number_type: parsed.number_type,
      };
    }
  }
  return facts;
}
