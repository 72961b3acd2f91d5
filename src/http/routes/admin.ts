/** Operator endpoints under /api/v1/admin, behind OTP_ADMIN_TOKEN (absent: they do not exist). */
import type Router from '@koa/router';
import { readJsonBody } from '../../contract/body';
import type { ApiContext, ApiState, RouteDependencies } from '../context';
import { ApiError, validate } from '../../contract/errors';
import { requireBearer } from '../middleware';
import {
  creditChangeSchema,
  fraudBlockPathSchema,
  type BalanceResponse,
  type FraudOverview,
} from '../../contract/schemas';
import { creditStoreOf } from './balance';

const ADMIN_BASE = '/api/v1/admin';

export function adminRoutes(
  router: Router<ApiState>,
  { config, tenants, credits, fraud, logger }: RouteDependencies,
): void {
  /** The tenant named by the path, for a caller holding OTP_ADMIN_TOKEN. */
  const tenantOf = (ctx: ApiContext) => {
    if (!config.adminToken) throw new ApiError('not_found');
    requireBearer(ctx, config.adminToken);
    const tenant = tenants.byId(ctx.params.tenant);
    if (!tenant) throw new ApiError('not_found', {}, 'No such tenant');
    return tenant;
  };
  const fraudDefence = () => {
    if (!fraud) throw new ApiError('service_unavailable', {}, 'No fraud-defence store configured');
    return fraud;
  };

  /** Top-ups and corrections of a balance; each is kept in the store's audit. */
  router.post(`${ADMIN_BASE}/tenants/:tenant/credits`, async (ctx) => {
    const tenant = tenantOf(ctx);
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

  /** SPEC §11: the blocks in force and each country's sends and conversion in the detector's window. */
  router.get(`${ADMIN_BASE}/tenants/:tenant/fraud`, async (ctx) => {
    const tenant = tenantOf(ctx);
    const defence = fraudDefence();
    const snapshot = await defence.store.snapshot(tenant.id, tenant.fraud, defence.now());
    const response: FraudOverview = {
      window_minutes: tenant.fraud.detector.window_minutes,
      blocks: snapshot.blocks.map((block) => ({
        channel: block.channel,
        scope: block.scope,
        subject: block.subject,
        key: `${block.channel}:${block.subject}`,
        until: new Date(block.until).toISOString(),
        blocks_in_24h: block.count,
      })),
      countries: snapshot.countries.map(({ channel, subject, sends, verified }) => ({
        channel,
        country: subject,
        sends,
        verified,
        conversion: sends === 0 ? null : verified / sends,
      })),
    };
    ctx.body = response;
  });

  /** SPEC §11: lifts one block (`key` is `<channel>:<range or country>`); its escalation stays. */
  router.delete(`${ADMIN_BASE}/tenants/:tenant/fraud/blocks/:scope/:key`, async (ctx) => {
    const tenant = tenantOf(ctx);
    const { scope, key } = validate(fraudBlockPathSchema, ctx.params);
    const [channel, subject] = key;
    const defence = fraudDefence();
    if (!(await defence.store.lift(tenant.id, channel, scope, subject, defence.now()))) {
      throw new ApiError('not_found', {}, 'No such block in force');
    }
    logger.info({ tenant_id: tenant.id, channel, scope }, 'fraud block lifted');
    ctx.status = 204;
  });
}
