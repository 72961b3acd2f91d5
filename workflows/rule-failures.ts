/**
 * How a workflow reports a rule's refusal: a RuleViolation becomes a non-retryable
 * ApplicationFailure typed with the catalogue code, so an update validator rejects it before
 * history and an update handler fails with it. Any other error is a bug and fails the task.
 */
import * as wf from '@temporalio/workflow';
import { RuleViolation } from './errors';

export function rule<T>(
  apply: () => T,
  detailsOf: (violation: RuleViolation) => unknown = (v) => v.extras,
): T {
  try {
    return apply();
  } catch (err) {
    if (err instanceof RuleViolation) {
      throw wf.ApplicationFailure.create({
        type: err.code,
        message: err.message,
        nonRetryable: true,
        details: [detailsOf(err)],
      });
    }
    throw err;
  }
}
