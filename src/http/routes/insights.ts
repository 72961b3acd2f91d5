/** A tenant's sends, verified sessions, conversion and credits per day (SPEC §11), for its own key's mode. */
import type Router from '@koa/router';
import { API_BASE, insightsQuerySchema, type InsightsResponse } from '../../contract/schemas';
import { ApiError, validate } from '../../contract/errors';
import { callerOf, type ApiState, type RouteDependencies } from '../context';
import { authenticate } from '../middleware';

/** Every date from `from` to `to`, both included. */
function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let at = Date.parse(from); at <= Date.parse(to); at += 86_400_000) {
    days.push(new Date(at).toISOString().slice(0, 10));
  }
  return days;
}

export function insightsRoutes(router: Router<ApiState>, { tenants, insights }: RouteDependencies): void {
  router.get(`${API_BASE}/insights`, authenticate(tenants), async (ctx) => {
    const { from, to, group_by } = validate(insightsQuerySchema, ctx.query);
    if (!insights) throw new ApiError('service_unavailable', {}, 'No insights store configured');
    const caller = callerOf(ctx);
    const rows = await insights.read(
      caller.tenant.id,
      caller.testKey ? 'test' : 'live',
      daysBetween(from, to),
      group_by,
    );
    const response: InsightsResponse = {
      from,
      to,
      group_by,
      data: rows.map((row) => ({ ...row, conversion: row.sends === 0 ? null : row.verified / row.sends })),
    };
    ctx.body = response;
  });
}
