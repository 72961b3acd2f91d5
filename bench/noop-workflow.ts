/**
 * The engine floor's workflow: the shape of a session (started by update-with-start, answering
 * a first update, then a second one, then finishing) with no work at all, so that driving it
 * measures only Temporal's own round trips on this machine. The two variants (used by
 * bench/probe.ts, not by the floor) await a no-op activity or local activity in the first
 * update, as a session's send awaits its code-issuing activity. The shaped floors below add the
 * rest of a session's shape.
 */
import * as wf from '@temporalio/workflow';
import type { NoopActivities } from './noop-activities';

export const firstUpdate = wf.defineUpdate<string, []>('first');
export const secondUpdate = wf.defineUpdate<string, []>('second');

const { noopActivity } = wf.proxyActivities<NoopActivities>({ startToCloseTimeout: '20s' });
const { noopActivity: noopLocalActivity } = wf.proxyLocalActivities<NoopActivities>({
  startToCloseTimeout: '10s',
});

async function twoUpdates(first: () => Promise<string>): Promise<void> {
  let answered = false;
  wf.setHandler(firstUpdate, first);
  wf.setHandler(secondUpdate, () => {
    answered = true;
    return 'second';
  });
  await wf.condition(() => answered);
  await wf.condition(wf.allHandlersFinished);
}

export async function noopSession(): Promise<void> {
  await twoUpdates(async () => 'first');
}

export async function noopSessionWithActivity(): Promise<void> {
  await twoUpdates(() => noopActivity());
}

export async function noopSessionWithLocalActivity(): Promise<void> {
  await twoUpdates(() => noopLocalActivity());
}

/** The shaped floor's body: each update awaits `activity`, an expiry timer runs meanwhile. */
async function shaped(activity: () => Promise<string>): Promise<void> {
  let answered = false;
  wf.setHandler(firstUpdate, activity);
  wf.setHandler(secondUpdate, async () => {
    const answer = await activity();
    answered = true;
    return answer;
  });
  await wf.condition(() => answered, '10 minutes');
  await wf.condition(wf.allHandlersFinished);
}

/**
 * The shaped floor: a session's Temporal work with no work of its own. The first update awaits an
 * activity (a session's code hash), the second one too (the compare), and an expiry timer runs
 * meanwhile: what bcrypt must run in (activities) and what a session must keep (an expiry), for
 * nothing. (Until a verified session stopped owing its bookkeeping, it also ended after a third
 * activity; bench/RESULTS.md's figures before "Follow-up 2" include it.)
 */
export async function noopSessionShaped(): Promise<void> {
  await shaped(() => noopActivity());
}

/**
 * The shaped floor with local activities (BENCH_LOCAL_SHAPE=1): what the shape would cost if
 * sessions could use them. They cannot: sdk-core 1.24 drops updates that arrive while a local
 * activity holds the run's workflow task (README, "Why sessions use no local activity").
 */
export async function noopSessionShapedLocal(): Promise<void> {
  await shaped(() => noopLocalActivity());
}
