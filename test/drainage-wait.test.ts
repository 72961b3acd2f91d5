/**
 * The deploy step's drain wait (src/temporal/versioning.ts waitForDrainage) may last a day: it
 * asks again when the server briefly cannot describe the version (its entity workflow continuing
 * as new answers NOT_FOUND; a frontend away answers UNAVAILABLE), and gives up on anything else.
 */
import type { WorkflowService } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { waitForDrainage, type DrainageProgress } from '../src/temporal/versioning';

const { VersionDrainageStatus } = temporal.api.enums.v1;
const version = { deploymentName: 'durable-otp', buildId: 'A' };
const grpcError = (code: number) => Object.assign(new Error(`gRPC ${code}`), { code });

/** A service whose describes answer `answers` in turn (an Error is thrown); counting is not possible. */
function serviceAnswering(answers: (Error | number)[]) {
  let asked = 0;
  const service = {
    async describeWorkerDeploymentVersion() {
      const answer = answers[Math.min(asked++, answers.length - 1)]!;
      if (answer instanceof Error) throw answer;
      return { workerDeploymentVersionInfo: { drainageInfo: { status: answer } } };
    },
    async countWorkflowExecutions() {
      throw grpcError(12);
    },
  } as unknown as WorkflowService;
  return { service, asked: () => asked };
}

const wait = (service: WorkflowService, progress: DrainageProgress[] = []) =>
  waitForDrainage(service, 'default', version, {
    timeoutMs: 60_000,
    pollMs: 1,
    onProgress: (p) => progress.push(p),
  });

test('rides out a version briefly not found or a frontend away, then sees it drained', async () => {
  const progress: DrainageProgress[] = [];
  const { service, asked } = serviceAnswering([
    VersionDrainageStatus.VERSION_DRAINAGE_STATUS_DRAINING,
    grpcError(5),
    grpcError(14),
    VersionDrainageStatus.VERSION_DRAINAGE_STATUS_DRAINED,
  ]);
  await expect(wait(service, progress)).resolves.toBeUndefined();
  expect(asked()).toBe(4);
  expect(progress.map((p) => p.status)).toEqual([
    'DRAINING',
    'unanswered (gRPC 5), asking again',
    'unanswered (gRPC 14), asking again',
  ]);
});

test('gives up on an error that asking again cannot mend, and on a version gone for good', async () => {
  await expect(wait(serviceAnswering([grpcError(7)]).service)).rejects.toThrow('gRPC 7');
  const gone = serviceAnswering([grpcError(5)]);
  await expect(wait(gone.service)).rejects.toThrow('gRPC 5');
  expect(gone.asked()).toBe(13);
});
