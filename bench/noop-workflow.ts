/**
 * The engine floor's workflow: the shape of a session (started by update-with-start, answering a
 * first update, then a second one, then finishing) with no work at all, so that driving it
 * measures only Temporal's own round trips on this machine.
 */
import * as wf from '@temporalio/workflow';

export const firstUpdate = wf.defineUpdate<string, []>('first');
export const secondUpdate = wf.defineUpdate<string, []>('second');

export async function noopSession(): Promise<void> {
  let answered = false;
  wf.setHandler(firstUpdate, () => 'first');
  wf.setHandler(secondUpdate, () => {
    answered = true;
    return 'second';
  });
  await wf.condition(() => answered);
  await wf.condition(wf.allHandlersFinished);
}
