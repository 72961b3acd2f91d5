/** Operator endpoints under /api/v1/admin, behind OTP_ADMIN_TOKEN (absent: they do not exist). */
import type Router from '@koa/router';
import { readJsonBody } from '../../contract/body';
import type { ApiState, RouteDependencies } from '../context';
import { ApiError, validate } from '../../contract/errors';
import { requireBearer } from '../middleware';
import { creditChangeSchema, type BalanceResponse } from '../../contract/schemas';
import { creditStoreOf } from './balance';

const ADMIN_BASE = '/api/v1/admin';

export function adminRoutes(
  router: Router<ApiState>,
  { config, tenants, credits, logger }: RouteDependencies,
): void {
  /** Top-ups and corrections of a balance; each is kept in the store's audit. */
  router.post(`${ADMIN_BASE}/tenants/:tenant/credits`, async (ctx) => {
    if (!config.adminToken) throw new ApiError('not_found');
    requireBearer(ctx, config.adminToken);
    const tenant = tenants.byId(ctx.params.tenant);
    if (!tenant) throw new ApiError('not_found', {}, 'No such tenant');
    if (tenant.credits === undefined) {
      throw new ApiError(
        'validation_error',
        {},
        'This tenant has no balance limit: give it `credits` in the tenants file',
      );
    }
    const change = validate(creditChangeSchema, await readJsonBody(ctx));
    let balance: number;
    try {
      balance = await creditStoreOf(credits).adjust(tenant, change, {
        actor: 'admin-api',
        reason: change.reason,
      });
    } catch (err) {
      if (err instanceof RangeError) throw new ApiError('validation_error', {}, err.message);
      throw err;
    }
    logger.info({ tenant_id: tenant.id, change, credits: balance }, 'credits adjusted');
    const response: BalanceResponse = { credits: balance };
    ctx.body = response;
  });
}
