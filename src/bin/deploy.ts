/**
 * The deploy step of a rainbow deploy (SPEC §10, deploy/README.md "Deploying a new version"):
 *
 *   node dist/src/bin/deploy.js promote [--build-id ID]   make the new build current once its workers
 *                                                     poll, then wait until the old one drained
 *   node dist/src/bin/deploy.js status                    the deployment's versions
 *   node dist/src/bin/deploy.js build-id                  the build id of this build
 *
 * Against the Temporal cluster the workers use (TEMPORAL_ADDRESS or a TEMPORAL_CONFIG_FILE profile,
 * TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE), in the deployment WORKER_DEPLOYMENT_NAME. Exits 0 when
 * done, 1 with the reason otherwise.
 */
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import type { WorkflowService } from '@temporalio/client';
import { ConfigError, loadConfig, type Config } from '../config/config';
import { runEntryPoint } from '../config/process';
import { clusterTarget, connectClient } from '../temporal/connection';
import {
  describeDeployment,
  openWorkflowsOn,
  setCurrentVersion,
  versionString,
  waitForDrainage,
  type DeploymentVersion,
} from '../temporal/versioning';
import { loadSessionWorkflowCode } from '../temporal/workflow-bundle';

const USAGE = `usage: node dist/src/bin/deploy.js <command> [options]

  promote [--build-id ID]   make build ID current (default: this build's id) once its workers poll
                            the task queue, then wait until the build it replaced has drained (no
                            session open on it any more), so its workers can stop
      --no-wait             return once the build is current
      --poll-timeout 10m    how long to wait for the build's workers to poll
      --drain-timeout 26h   how long to wait for the old build to drain (a session lives an hour
                            at most, the webhook events it started are retried for a day)
  status                    the deployment's current build and every build it knows
  build-id                  the build id of this build: WORKER_BUILD_ID, else derived from its code

Environment: TEMPORAL_ADDRESS (or a TEMPORAL_CONFIG_FILE profile), TEMPORAL_NAMESPACE,
TEMPORAL_TASK_QUEUE, WORKER_DEPLOYMENT_NAME, WORKER_BUILD_ID.`;

/** `90s`, `10m`, `24h` */
function parseDuration(flag: string, value: string): number {
  const match = /^(\d+)(s|m|h)$/.exec(value.trim());
  if (!match) throw new Error(`--${flag} ${value}: a duration such as 90s, 10m or 24h\n\n${USAGE}`);
  return Number(match[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 's' | 'm' | 'h'];
}

const say = (line: string) => console.log(`deploy: ${line}`);

/** This build's id, as its workers report it. */
async function ownBuildId(config: Config): Promise<string> {
  return config.workerBuildId ?? (await loadSessionWorkflowCode()).defaultBuildId;
}

async function promote(
  service: WorkflowService,
  config: Config,
  target: DeploymentVersion,
  options: { wait: boolean; pollTimeoutMs: number; drainTimeoutMs: number },
): Promise<void> {
  const namespace = config.temporal.namespace;
  const taskQueue = config.temporal.taskQueue;
  const before = await describeDeployment(service, namespace, target.deploymentName);
  if (before.current === target.buildId) {
    say(`${versionString(target)} is current already`);
  } else {
    say(`waiting for workers of ${versionString(target)} to poll task queue ${taskQueue}`);
    await setCurrentVersion(service, namespace, target, {
      taskQueue,
      timeoutMs: options.pollTimeoutMs,
      identity: `durable-otp deploy@${hostname()}`,
    });
    say(
      `${versionString(target)} is current: new sessions start on it (before: ${
        before.current ?? 'none, new sessions went to unversioned workers'
      })`,
    );
  }
  if (!options.wait) return;

  // The build this replaced, and any other a promote interrupted earlier left draining.
  const after = await describeDeployment(service, namespace, target.deploymentName);
  const draining = new Set(after.versions.filter((v) => v.status === 'DRAINING').map((v) => v.buildId));
  if (before.current && before.current !== target.buildId) draining.add(before.current);
  draining.delete(target.buildId);
  if (draining.size === 0) {
    say('no other build has sessions to finish');
    return;
  }
  for (const buildId of draining) {
    const old = { deploymentName: target.deploymentName, buildId };
    say(`waiting for ${versionString(old)} to drain: its open sessions finish on its own workers`);
    let last = '';
    let lastAt = 0;
    await waitForDrainage(service, namespace, old, {
      timeoutMs: options.drainTimeoutMs,
      onProgress: ({ status, open }) => {
        const line = `${versionString(old)}: ${status.toLowerCase()}${open === undefined ? '' : `, ${open} open`}`;
        if (line !== last || Date.now() - lastAt > 60_000) say(line);
        last = line;
        lastAt = Date.now();
      },
    });
    say(`${versionString(old)} drained: stop its workers`);
  }
}

async function status(service: WorkflowService, config: Config, deploymentName: string): Promise<void> {
  const namespace = config.temporal.namespace;
  const state = await describeDeployment(service, namespace, deploymentName);
  console.log(`deployment ${deploymentName} in namespace ${namespace}: current ${state.current ?? '(none)'}`);
  for (const version of state.versions) {
    // A drained version has none open; any other may (an inactive one through a moved session).
    const open =
      version.status === 'DRAINED'
        ? undefined
        : await openWorkflowsOn(service, namespace, { deploymentName, buildId: version.buildId });
    console.log(
      `  ${version.buildId}  ${version.status.toLowerCase()}${open === undefined ? '' : `  ${open} open`}`,
    );
  }
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      'build-id': { type: 'string' },
      'no-wait': { type: 'boolean', default: false },
      'poll-timeout': { type: 'string', default: '10m' },
      'drain-timeout': { type: 'string', default: '26h' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command || rest.length > 0 || !['promote', 'status', 'build-id'].includes(command)) {
    if (values.help) return console.log(USAGE);
    throw new Error(USAGE);
  }
  const config = loadConfig();
  if (command === 'build-id') return console.log(await ownBuildId(config));

  const target = clusterTarget(config);
  if (!target) {
    throw new ConfigError([
      'TEMPORAL_ADDRESS: is required (or a TEMPORAL_CONFIG_FILE profile with an address): the cluster the workers use',
    ]);
  }
  const connection = await connectClient(target);
  try {
    const deploymentName = config.workerDeploymentName;
    if (command === 'status') return await status(connection.workflowService, config, deploymentName);
    await promote(
      connection.workflowService,
      config,
      { deploymentName, buildId: values['build-id'] ?? (await ownBuildId(config)) },
      {
        wait: !values['no-wait'],
        pollTimeoutMs: parseDuration('poll-timeout', values['poll-timeout']!),
        drainTimeoutMs: parseDuration('drain-timeout', values['drain-timeout']!),
      },
    );
  } finally {
    await connection.close();
  }
}

runEntryPoint(main);
