/** Delivery receipts from the providers (SPEC §9): Twilio's status callbacks, signed by Twilio. */
import type Router from '@koa/router';
import twilio from 'twilio';
import { receiptOf, TWILIO_STATUS_PATH } from '../../../activities/twilio-status';
import { readFormBody } from '../../contract/body';
import type { ApiState, RouteDependencies } from '../context';
import { ApiError } from '../../contract/errors';

export function providerRoutes(
  router: Router<ApiState>,
  { config, logger, metrics, sessions, withTemporal }: RouteDependencies,
): void {
  /**
   * Believed only with Twilio's signature over the exact URL this product gave it
   * (PUBLIC_BASE_URL, path and query) and the posted parameters.
   */
  router.post(TWILIO_STATUS_PATH, async (ctx) => {
    const params = await readFormBody(ctx);
    const authToken = config.twilio?.authToken;
    const signature = ctx.get('X-Twilio-Signature');
    const signedUrl = `${config.publicBaseUrl}${ctx.path}${ctx.search}`;
    if (
      !authToken ||
      !config.publicBaseUrl ||
      !signature ||
      !twilio.validateRequest(authToken, signature, signedUrl, params)
    ) {
      throw new ApiError('forbidden');
    }
    const found = receiptOf(new URLSearchParams(ctx.querystring), params);
    const applied = found
      ? await withTemporal(() => sessions.receipt(found.workflowId, found.receipt))
      : false;
    if (found) metrics.receipts.inc({ channel: found.receipt.channel, status: found.receipt.status });
    logger.info(
      {
        request_id: ctx.state.requestId,
        workflow_id: found?.workflowId,
        status: found?.receipt.status,
        applied,
      },
      'delivery receipt',
    );
    ctx.status = 204;
  });
}
