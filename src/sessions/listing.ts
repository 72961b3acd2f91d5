/**
 * GET /sessions as a visibility query scoped to the tenant, newest first.
 *
 * Temporal's SQL visibility (the dev server's SQLite, PostgreSQL, MySQL) refuses ORDER BY and
 * returns running workflows by start time, newest first, then closed ones by close time, most
 * recently closed first. Its page token pages in that order, so the API pages by itself instead:
 * the cursor is the (start time, workflow id) of the last session returned, and each page is the
 * `limit` newest sessions before it, merged from two queries:
 * - running sessions: already in start-time order, so the first `limit` are the newest;
 * - closed sessions: in close-time order. A session starts before it closes, so once the closed
 *   sessions read so far include `limit` that started after the close time of the last one read,
 *   no unread closed session can be newer than those.
 */
import type { Client } from '@temporalio/client';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import type { temporal } from '@temporalio/proto';
import type { CallerMode } from '../../workflows/session-types';
import { OtpChannels, OtpPurpose, OtpSandbox, OtpStatus } from '../../workflows/search-attributes';
import { ApiError } from '../contract/errors';
import type { ListSessionsQuery, SessionList, SessionSummary } from '../contract/schemas';
import { sessionStatusSchema } from '../contract/schemas';

type Execution = temporal.api.workflow.v1.IWorkflowExecutionInfo;
type Timestamp = NonNullable<Execution['startTime']>;

/** A cursor position: the start time (RFC 3339, nanoseconds) and workflow id of the last session returned. */
interface Position {
  startTime: string;
  workflowId: string;
}

export const CURSOR_START_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/;
export const CURSOR_WORKFLOW_ID = /^otp-[A-Za-z0-9_-]{1,64}-ses_[0-9a-f]{32}$/;
/** How many closed sessions one visibility call reads while looking for the newest. */
const CLOSED_SCAN_PAGE = 500;

export function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify([position.startTime, position.workflowId])).toString('base64url');
}

/** A date the query can hold: Temporal refuses "2026-02-30" (an internal error, not the caller's). */
function isRealInstant(startTime: string): boolean {
  const millis = Date.parse(startTime.slice(0, 23) + 'Z');
  return !Number.isNaN(millis) && new Date(millis).toISOString().slice(0, 23) === startTime.slice(0, 23);
}

function decodeCursor(cursor: string): Position {
  const invalid = new ApiError('validation_error', {
    details: [{ path: 'cursor', message: 'invalid cursor' }],
  });
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  // Both values go into a query: only exactly the shapes encodeCursor writes are accepted.
  if (
    !Array.isArray(decoded) ||
    decoded.length !== 2 ||
    typeof decoded[0] !== 'string' ||
    typeof decoded[1] !== 'string' ||
    !CURSOR_START_TIME.test(decoded[0]) ||
    !isRealInstant(decoded[0]) ||
    !CURSOR_WORKFLOW_ID.test(decoded[1])
  ) {
    throw invalid;
  }
  return { startTime: decoded[0], workflowId: decoded[1] };
}

/** RFC 3339 with nanoseconds: sortable as a string, and exact for keyset paging. */
function rfc3339(ts: Timestamp | null | undefined): string {
  const seconds = Number(ts?.seconds ?? 0);
  const date = new Date(seconds * 1000).toISOString().slice(0, 19);
  return `${date}.${String(ts?.nanos ?? 0).padStart(9, '0')}Z`;
}

const millisIso = (ts: Timestamp) =>
  new Date(Number(ts.seconds ?? 0) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6)).toISOString();

const positionOf = (e: Execution): Position => ({
  startTime: rfc3339(e.startTime),
  workflowId: e.execution?.workflowId ?? '',
});

/** Newest first; ties on start time broken by workflow id, as the cursor condition does. */
function newerFirst(a: Execution, b: Execution): number {
  const [pa, pb] = [positionOf(a), positionOf(b)];
  if (pa.startTime !== pb.startTime) return pa.startTime < pb.startTime ? 1 : -1;
  return pa.workflowId < pb.workflowId ? 1 : pa.workflowId > pb.workflowId ? -1 : 0;
}

/**
 * The visibility query for a tenant, key mode and filters. Every value is either an enum, a
 * boolean, a re-serialized timestamp, or checked against a strict pattern by the schema, so none
 * can leave its string literal. A key sees only the sessions its own mode opened (SPEC §7); a
 * test key's are all sandbox, so its `sandbox=false` finds nothing.
 */
export function visibilityQuery(
  tenantId: string,
  mode: CallerMode,
  filters: ListSessionsQuery,
  before?: Position,
): string {
  const clauses = [`WorkflowType = 'otpSession'`, `OtpTenant = '${tenantId}'`];
  clauses.push(mode.test_key ? `OtpKeyMode = 'test'` : `OtpKeyMode = 'live'`);
  if (filters.status) clauses.push(`OtpStatus = '${filters.status}'`);
  if (filters.channel) clauses.push(`OtpChannels = '${filters.channel}'`);
  if (filters.sandbox !== undefined) clauses.push(`OtpSandbox = ${filters.sandbox}`);
  if (filters.purpose) clauses.push(`OtpPurpose = '${filters.purpose}'`);
  if (filters.created_after) clauses.push(`StartTime >= '${new Date(filters.created_after).toISOString()}'`);
  if (filters.created_before) clauses.push(`StartTime < '${new Date(filters.created_before).toISOString()}'`);
  if (before) {
    clauses.push(
      `(StartTime < '${before.startTime}' OR (StartTime = '${before.startTime}' AND WorkflowId < '${before.workflowId}'))`,
    );
  }
  return clauses.join(' AND ');
}

function summaryOf(e: Execution): SessionSummary {
  const attributes = decodeTypedSearchAttributes(e.searchAttributes?.indexedFields);
  const workflowId = e.execution?.workflowId ?? '';
  return {
    session_id: workflowId.slice(workflowId.lastIndexOf('-') + 1),
    status: sessionStatusSchema.catch('pending').parse(attributes.get(OtpStatus)),
    channels: (attributes.get(OtpChannels) ?? []) as SessionSummary['channels'],
    sandbox: attributes.get(OtpSandbox) ?? false,
    purpose: attributes.get(OtpPurpose) ?? null,
    created_at: millisIso(e.startTime!),
    closed_at: e.closeTime ? millisIso(e.closeTime) : null,
  };
}

export async function listSessions(
  client: Client,
  namespace: string,
  tenantId: string,
  mode: CallerMode,
  filters: ListSessionsQuery,
): Promise<SessionList> {
  const before = filters.cursor === undefined ? undefined : decodeCursor(filters.cursor);
  const query = visibilityQuery(tenantId, mode, filters, before);
  const wanted = filters.limit + 1; // one more than a page tells whether another page exists
  const list = (q: string, pageSize: number, nextPageToken?: Uint8Array) =>
    client.workflowService.listWorkflowExecutions({ namespace, query: q, pageSize, nextPageToken });

  const running = (await list(`${query} AND ExecutionStatus = 'Running'`, wanted)).executions;

  let closed: Execution[] = [];
  let token: Uint8Array | undefined;
  do {
    const page = await list(
      `${query} AND ExecutionStatus != 'Running'`,
      Math.max(wanted, CLOSED_SCAN_PAGE),
      token,
    );
    closed = [...closed, ...page.executions].sort(newerFirst).slice(0, wanted);
    token = page.nextPageToken?.length ? page.nextPageToken : undefined;
    const lastRead = page.executions.at(-1);
    const complete =
      closed.length === wanted &&
      lastRead !== undefined &&
      positionOf(closed[wanted - 1]).startTime > rfc3339(lastRead.closeTime);
    if (complete) break;
  } while (token);

  // A session that closed between the two queries may show up in both.
  const seen = new Set<string>();
  const merged = [...running, ...closed].sort(newerFirst).filter((e) => {
    const id = e.execution?.workflowId ?? '';
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  const page = merged.slice(0, filters.limit);
  const more = merged.length > filters.limit;
  return { data: page.map(summaryOf), next_cursor: more ? encodeCursor(positionOf(page.at(-1)!)) : null };
}
