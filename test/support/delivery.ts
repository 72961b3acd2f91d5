/** A message to deliver and the check every sender test makes of a failure. */
import { DeliveryError, type OtpMessage } from '../../activities/delivery';

/** The code in every test message: no error a sender raises may contain it. */
export const TEST_CODE = '739204';

export function otpMessage(
  defaults: Pick<OtpMessage, 'channel' | 'to'>,
  overrides: Partial<OtpMessage> = {},
): OtpMessage {
  return {
    ...defaults,
    code: TEST_CODE,
    expiryMinutes: 10,
    appName: 'Acme',
    templates: {},
    locale: 'en',
    ...overrides,
  };
}

/** Awaits a send that must fail with a DeliveryError whose message does not carry the code. */
export async function deliveryError(sending: Promise<unknown>): Promise<DeliveryError> {
  const err = await sending.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DeliveryError);
  expect((err as Error).message).not.toContain(TEST_CODE);
  return err as DeliveryError;
}
