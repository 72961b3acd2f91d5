/**
 * The fraud defence's observer inside an activity (a resend or fallback step the session admits):
 * the worker's metrics, and the `fraud.blocked` webhook started with the activity's own client.
 */
import { Context, log } from '@temporalio/activity';
import type { FraudObserver } from '../src/fraud/defence';
import { announceFraudBlock } from '../src/fraud/announce';
import { recordFraudBlock, recordFraudRefusal } from './metrics';

export const activityFraudObserver: FraudObserver = {
  refused(channel, reason) {
    recordFraudRefusal(channel, reason);
  },
  async blocked(tenant, block) {
    recordFraudBlock(block.channel, block.scope);
    const { client, info } = Context.current();
    await announceFraudBlock(client, info.taskQueue, tenant, block).catch((err: unknown) =>
      log.warn('could not announce a fraud block', {
        error: err instanceof Error ? err.message : String(err),
      }),
    );
  },
};
