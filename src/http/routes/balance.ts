/** A tenant's credit balance (SPEC §5), for its own API key. */
import type Router from '@koa/router';
import type { CreditStore } from '../../credits/store';
import { callerOf, type ApiState, type RouteDependencies } from '../context';
import { ApiError } from '../../contract/errors';
import { authenticate } from '../middleware';
import { API_BASE } from '../../contract/schemas';
import type { BalanceResponse } from '../../contract/schemas';

/** The credit store; without one, balances answer 503. */
export function creditStoreOf(credits: CreditStore | undefined): CreditStore {
  if (!credits) throw new ApiError('service_unavailable', {}, 'No credit store configured');
  return credits;
}

export function balanceRoutes(router: Router<ApiState>, { tenants, credits }: RouteDependencies): void {
  router.get(`${API_BASE}/balance`, authenticate(tenants), async (ctx) => {
    const { tenant } = callerOf(ctx);
    const response: BalanceResponse = {
      credits: tenant.credits === undefined ? null : await creditStoreOf(credits).balance(tenant),
    };
    ctx.body = response;
  });
}
