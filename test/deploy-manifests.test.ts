/**
 * The Kubernetes manifests in deploy/kubernetes, validated against the Kubernetes API schemas
 * (`kubernetes-models`: types, required fields, enums, quantities) since no cluster runs here,
 * and read for what `--shards` needs: an Indexed Job of N pods, all at once, retried per index,
 * done when shard 0 is, the secret from a Secret, resources set, and the CronJob running that
 * very Job spec.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { repoRoot } from './support/databases.ts';

const folder = join(repoRoot, 'deploy/kubernetes');
// biome-ignore lint/suspicious/noExplicitAny: parsed YAML, read field by field below.
type Manifest = any;

/** Every document of a manifest file; a YAML error or warning fails the test. */
function documents(file: string): Manifest[] {
  const parsed = YAML.parseAllDocuments(readFileSync(join(folder, file), 'utf8'));
  for (const doc of parsed) expect([...doc.errors, ...doc.warnings], file).toEqual([]);
  return parsed.map((doc) => doc.toJS());
}

/** Validates one manifest against its kind's schema; throws with every problem found. */
function validate(manifest: Manifest): void {
  const models: Record<string, new (data: Manifest) => { validate(): void }> = {
    'batch/v1 Job': Job,
    'batch/v1 CronJob': CronJob,
  };
  const Model = models[`${manifest.apiVersion} ${manifest.kind}`];
  if (!Model) throw new Error(`no schema here for ${manifest.apiVersion} ${manifest.kind}`);
  new Model(manifest).validate();
}

const job = (): Manifest => documents('sharded-job.yaml')[0];
const cronJob = (): Manifest => documents('sharded-cronjob.yaml')[0];

describe('deploy/kubernetes', () => {
  it('every manifest passes the Kubernetes schema of its kind', () => {
    const files = readdirSync(folder).filter((f) => f.endsWith('.yaml'));
    expect(files.sort()).toEqual(['cronjob.yaml', 'sharded-cronjob.yaml', 'sharded-job.yaml']);
    for (const file of files)
      for (const manifest of documents(file)) expect(() => validate(manifest), file).not.toThrow();
  });

  it('the validation catches what a cluster would refuse', () => {
    const broken = (change: (m: Manifest) => void) => {
      const manifest = job();
      change(manifest);
      return () => validate(manifest);
    };
    expect(broken((m) => (m.spec.completionMode = 'indexed'))).toThrow(/completionMode must be equal to one of/);
    expect(broken((m) => (m.spec.parallelism = 'four'))).toThrow(/parallelism must be integer/);
    expect(broken((m) => (m.spec.successPolicy.rules[0].succeededIndexes = 0))).toThrow(/must be string/);
    expect(broken((m) => (m.spec.template.spec.containers[0].resources.requests.cpu = 'a lot'))).toThrow(/quantity/);
    expect(broken((m) => delete m.spec.template.spec.containers[0].name)).toThrow(/must have required property name/);
    // A condition without its status, as this manifest first had it: the API server refuses it.
    expect(broken((m) => delete m.spec.podFailurePolicy.rules[1].onPodConditions[0].status)).toThrow(
      /must have required property status/,
    );
  });

  it('runs one pod per shard, all at once, shard 0 deciding, retried index by index', () => {
    const { spec } = job();
    const container = spec.template.spec.containers[0];
    const shards = Number(container.args[container.args.indexOf('--shards') + 1]);
    expect(shards).toBeGreaterThan(1);
    expect(spec).toMatchObject({ completionMode: 'Indexed', completions: shards, parallelism: shards });
    expect(spec.backoffLimitPerIndex).toBeGreaterThanOrEqual(1);
    expect(spec.successPolicy).toEqual({ rules: [{ succeededIndexes: '0' }] });
    expect(spec.template.spec.restartPolicy).toBe('Never');
    // The index comes from Kubernetes, never from the manifest.
    expect(container.args).not.toContain('--shard-index');
    expect(container.env.map((e: { name: string }) => e.name)).not.toContain('JOB_COMPLETION_INDEX');
    expect(spec.podFailurePolicy.rules[0]).toEqual({
      action: 'FailJob',
      onExitCodes: { containerName: container.name, operator: 'In', values: [1, 2] },
    });
  });

  it('takes the secret and the URLs from a Secret, and sets requests and limits', () => {
    const container = job().spec.template.spec.containers[0];
    for (const name of ['MASQUE_SOURCE_URL', 'MASQUE_TARGET_URL', 'MASQUE_SECRET']) {
      const variable = container.env.find((e: { name: string }) => e.name === name);
      expect(variable, name).toMatchObject({ valueFrom: { secretKeyRef: { name: 'masque-refresh' } } });
      expect(variable.value).toBeUndefined();
    }
    expect(container.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(container.resources.limits.memory).toBeDefined();
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    // The image the Dockerfile builds: the sources under /opt/masque, run by node as the bin script does.
    expect(container).toMatchObject({ workingDir: '/opt/masque', command: ['node', 'packages/cli/bin/masque.js'] });
    expect(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8')).toMatch(/^WORKDIR \/opt\/masque$/m);
  });

  it('the nightly CronJob runs exactly the Job spec, one run at a time', () => {
    const cron = cronJob();
    expect(cron.spec).toMatchObject({ concurrencyPolicy: 'Forbid', schedule: expect.any(String) });
    expect(cron.spec.jobTemplate.spec).toEqual(job().spec);
  });
});
