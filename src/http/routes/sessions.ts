/** A tenant's sessions (SPEC §4): the list, one session's detail, and its cancellation. */
import type Router from '@koa/router';
import { listSessions } from '../../sessions/listing';
import { sessionWorkflowId, type SessionService } from '../../sessions/sessions';
import { readJsonBody } from '../../contract/body';
import {
  callerOf,
  modeOf,
  updateIdOf,
  type ApiContext,
  type ApiState,
  type RouteDependencies,
} from '../context';
import { ApiError, validate } from '../../contract/errors';
import { authenticate } from '../middleware';
import {
  API_BASE,
  listSessionsQuerySchema,
  sessionIdSchema,
  type SessionDetail,
} from '../../contract/schemas';

/** A session id from the path: one that cannot exist is simply not found. */
function pathSessionId(ctx: ApiContext): string {
  const parsed = sessionIdSchema.safeParse(ctx.params.id);
  if (!parsed.success) throw new ApiError('session_not_found');
  return parsed.data;
}

export function sessionRoutes(
  router: Router<ApiState>,
  { config, client, tenants, sessions, tokenSecret, withTemporal }: RouteDependencies,
): void {
  const { namespace, uiUrl } = config.temporal;
  const detailOf = (view: Awaited<ReturnType<SessionService['view']>>): SessionDetail => ({
    ...view,
    temporal_ui_url: uiUrl
      ? `${uiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(
          sessionWorkflowId(view.tenant_id, view.session_id),
        )}`
      : null,
  });

  const auth = authenticate(tenants);

  router.get(`${API_BASE}/sessions`, auth, async (ctx) => {
    const filters = validate(listSessionsQuerySchema, ctx.query);
    const caller = callerOf(ctx);
    ctx.body = await withTemporal(() =>
      listSessions(client, namespace, caller.tenant.id, modeOf(caller), filters),
    );
  });

  router.get(`${API_BASE}/sessions/:id`, auth, async (ctx) => {
    const caller = callerOf(ctx);
    const sessionId = pathSessionId(ctx);
    ctx.body = detailOf(await withTemporal(() => sessions.view(caller.tenant.id, sessionId, modeOf(caller))));
  });

  router.post(`${API_BASE}/sessions/:id/cancel`, auth, async (ctx) => {
    const caller = callerOf(ctx);
    await readJsonBody(ctx); // no body is needed, but one that is sent obeys the same rules
    const sessionId = pathSessionId(ctx);
    const updateId = updateIdOf(ctx, tokenSecret, 'cancel', sessionId);
    ctx.body = detailOf(
      await withTemporal(() => sessions.cancel(caller.tenant.id, sessionId, modeOf(caller), updateId)),
    );
  });
}
