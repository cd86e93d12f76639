/**
 * The recipes of docs/scheduling.md, tested as written: the crontab block runs as cron would run
 * it (its own SHELL and PATH, nothing else from this environment) against the demo's SQLite files;
 * the systemd units pass `systemd-analyze verify`; the Kubernetes CronJob parses and says what
 * the docs say; and all three treat the exit codes as the docs' table does.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSampleDatabase, createSampleSchema } from '@masque/core';
import { ExitCode } from '../packages/cli/src/exit.ts';
import YAML from 'yaml';
import { repoRoot } from './support/databases.ts';
import { parsePrometheusText, sampleValue } from './support/prometheus-text.ts';

const docs = readFileSync(join(repoRoot, 'docs/scheduling.md'), 'utf8');
const deploy = (path: string) => join(repoRoot, 'deploy', path);

describe('exit codes', () => {
  it('the docs explain every exit code the CLI has, and each recipe retries only 3', () => {
    // The formatter pads a table's cells to the widest one in the column.
    const documented = [...docs.matchAll(/^\| `(\d)` +\|/gm)].map((m) => Number(m[1]));
    expect(documented).toEqual(Object.values(ExitCode));
    expect(ini(deploy('systemd/masque-refresh.service')).Service!.RestartPreventExitStatus).toEqual([
      `${ExitCode.problems} ${ExitCode.usage}`,
    ]);
    const [rule] = cronJob().spec.jobTemplate.spec.podFailurePolicy.rules;
    expect(rule).toEqual({
      action: 'FailJob',
      onExitCodes: { containerName: 'masque', operator: 'In', values: [ExitCode.problems, ExitCode.usage] },
    });
  });
});

describe('the crontab line', () => {
  const block = /<!-- crontab:begin[^>]*-->\n```crontab\n([\s\S]*?)```\n<!-- crontab:end -->/.exec(docs)?.[1] ?? '';
  const lines = block.split('\n').filter((l) => l.trim() && !l.startsWith('#'));
  const assignments = lines.map((l) => /^([A-Z_]+)=(.*)$/.exec(l));
  const variables = Object.fromEntries(assignments.flatMap((m) => (m ? [[m[1]!, m[2]!]] : [])));
  const jobs = lines.filter((_, i) => !assignments[i]);
  let root: string;
  let site: Record<string, string>;
  let built: Record<string, number>;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'masque-cron-'));
    // This machine's stand-ins for the folders the crontab names; everything else as written.
    site = {
      MASQUE_HOME: repoRoot,
      MASQUE_ETC: join(root, 'etc'),
      MASQUE_STATE: join(root, 'state'),
      TEXTFILE_DIR: join(root, 'textfile'),
    };
    for (const dir of [site.MASQUE_ETC!, site.MASQUE_STATE!, site.TEXTFILE_DIR!]) mkdirSync(dir);
    const production = join(root, 'production.db');
    const staging = join(root, 'staging.db');
    built = buildSampleDatabase(production, { customers: 300 }).tables;
    createSampleSchema(staging);
    copyFileSync(join(repoRoot, 'rules/demo.yaml'), join(site.MASQUE_ETC!, 'rules.yaml'));
    // The env file as the docs describe it: KEY='value', readable by its owner only.
    writeFileSync(
      join(site.MASQUE_ETC!, 'staging.env'),
      `MASQUE_SOURCE_URL='sqlite:${production}'\nMASQUE_TARGET_URL='sqlite:${staging}'\nMASQUE_SECRET='cron secret with spaces & $igns'\n`,
      { mode: 0o600 },
    );
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** The job's command through /bin/sh with cron's environment: HOME, LOGNAME and the crontab's variables. */
  const runJob = () =>
    spawnSync('/bin/sh', ['-c', command()], {
      env: { HOME: root, LOGNAME: 'masque', ...variables, ...site },
      encoding: 'utf8',
      timeout: 120_000,
    });
  const command = () => jobs[0]!.split(/\s+/).slice(5).join(' ');

  it('is one job every night, with the variables the docs tell you to set, and no % (cron would cut the line)', () => {
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.split(/\s+/).slice(0, 5)).toEqual(['30', '2', '*', '*', '*']);
    expect(Object.keys(variables)).toEqual(['SHELL', 'PATH', 'MAILTO', ...Object.keys(site)]);
    expect(command()).not.toContain('%');
    expect(command()).toContain('--log json');
    expect(command()).toContain('--metrics "$TEXTFILE_DIR/masque.prom"');
  });

  it('refreshes the demo staging file: exit 0, nothing on stderr (so cron mails nothing), JSON log, report and metrics', () => {
    const result = runJob();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(''); // everything went to the log

    const log = readFileSync(join(site.MASQUE_STATE!, 'refresh.log'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(log.at(-1)).toMatchObject({
      type: 'done',
      exitCode: 0,
      summary: { rows: Object.values(built).reduce((a, b) => a + b, 0) },
    });
    const report = JSON.parse(readFileSync(join(site.MASQUE_STATE!, 'last-run.json'), 'utf8'));
    expect(report).toMatchObject({ status: 'ok', exitCode: 0, target: `sqlite:${join(root, 'staging.db')}` });

    const metrics = parsePrometheusText(readFileSync(join(site.TEXTFILE_DIR!, 'masque.prom'), 'utf8'));
    expect(sampleValue(metrics, 'masque_last_run_success')).toBe(1);
    for (const [table, rows] of Object.entries(built))
      expect(sampleValue(metrics, 'masque_table_rows', { table })).toBe(rows);
    expect(sampleValue(metrics, 'masque_last_run_timestamp_seconds')).toBeGreaterThan(Date.now() / 1000 - 120);
  });

  it('skips with exit 75 while the previous run still holds the lock, touching nothing', async () => {
    const lock = join(site.MASQUE_STATE!, 'refresh.lock');
    const logBefore = readFileSync(join(site.MASQUE_STATE!, 'refresh.log'), 'utf8');
    const holder = spawn('flock', [lock, 'sleep', '60'], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 100 && spawnSync('flock', ['-n', lock, 'true']).status === 0; i++)
        await new Promise((r) => setTimeout(r, 50));
      const started = Date.now();
      const result = runJob();
      expect(result.status).toBe(75);
      expect(Date.now() - started).toBeLessThan(5_000); // -n: no waiting
      expect(readFileSync(join(site.MASQUE_STATE!, 'refresh.log'), 'utf8')).toBe(logBefore);
    } finally {
      holder.kill();
    }
  });
});

describe('the systemd service and timer', () => {
  const service = deploy('systemd/masque-refresh.service');
  const timer = deploy('systemd/masque-refresh.timer');

  it('pass systemd-analyze verify without a word', () => {
    const result = spawnSync('systemd-analyze', ['verify', service, timer], { encoding: 'utf8' });
    expect(result.error, 'systemd-analyze must be installed').toBeUndefined();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('run one refresh with the secrets from an EnvironmentFile, JSON lines to the journal and metrics for node-exporter', () => {
    const { Unit, Service } = ini(service);
    expect(Service).toMatchObject({
      Type: ['oneshot'],
      User: ['masque'],
      EnvironmentFile: ['/etc/masque/staging.env'],
      Restart: ['on-failure'],
    });
    const [exec] = Service!.ExecStart!;
    expect(exec).toMatch(/^node packages\/cli\/bin\/masque\.js run --config \/etc\/masque\/rules\.yaml --log json /);
    const metrics = /--metrics (\S+)\/masque\.prom/.exec(exec!)?.[1];
    expect(Service!.ReadWritePaths).toEqual([metrics]);
    expect(existsSync(join(repoRoot, 'packages/cli/bin/masque.js'))).toBe(true);
    expect(Unit!.StartLimitBurst).toEqual(['3']);
  });

  it('start it every night, catching up on a night missed while the host was down', () => {
    const { Timer, Install } = ini(timer);
    expect(Timer).toMatchObject({ OnCalendar: ['*-*-* 02:30:00'], Persistent: ['true'] });
    expect(Install).toEqual({ WantedBy: ['timers.target'] });
    const next = spawnSync('systemd-analyze', ['calendar', Timer!.OnCalendar![0]!], { encoding: 'utf8' });
    expect(next.stdout).toMatch(/Next elapse: \w+ \d{4}-\d\d-\d\d 02:30:00/);
  });
});

describe('the Kubernetes CronJob', () => {
  it('never runs two at once, fails without retrying what retries cannot fix, and restarts no pod in place', () => {
    const job = cronJob();
    expect(job).toMatchObject({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      spec: { schedule: '30 2 * * *', concurrencyPolicy: 'Forbid' },
    });
    const spec = job.spec.jobTemplate.spec;
    expect(spec.backoffLimit).toBe(2);
    expect(spec.template.spec.restartPolicy).toBe('Never');
  });

  it('takes the URLs and the secret from the Secret and the rules from the ConfigMap that the docs create', () => {
    const pod = cronJob().spec.jobTemplate.spec.template.spec;
    const container = pod.containers[0]!;
    const env = Object.fromEntries(container.env.map((e) => [e.name, e]));
    const secret = /kubectl create secret generic (\S+) \\\n((?:\s+--from-literal=\S+ ?\\?\n?)+)/.exec(docs)!;
    const keys = [...secret[2]!.matchAll(/--from-literal=([\w-]+)=/g)].map((m) => m[1]);
    for (const [name, key] of [
      ['MASQUE_SOURCE_URL', 'source-url'],
      ['MASQUE_TARGET_URL', 'target-url'],
      ['MASQUE_SECRET', 'secret'],
    ]) {
      expect(env[name!], name).toEqual({ name, valueFrom: { secretKeyRef: { name: secret[1], key } } });
      expect(keys).toContain(key);
    }

    const args = container.args;
    expect(args.slice(0, 1)).toEqual(['run']);
    expect(args.join(' ')).toContain('--log json');
    const config = args[args.indexOf('--config') + 1]!;
    const mount = container.volumeMounts.find((m) => config.startsWith(`${m.mountPath}/`))!;
    const volume = pod.volumes.find((v) => v.name === mount.name)!;
    const configMap = /kubectl create configmap (\S+) --from-file=([\w.-]+)=/.exec(docs)!;
    expect(volume.configMap.name).toBe(configMap[1]);
    expect(config).toBe(`${mount.mountPath}/${configMap[2]}`);
    expect(container.command).toEqual(['node', 'packages/cli/bin/masque.js']);
  });
});

/** The parts of the CronJob manifest these tests read. */
interface CronJob {
  spec: {
    jobTemplate: {
      spec: { backoffLimit: number; podFailurePolicy: { rules: unknown[] }; template: { spec: PodSpec } };
    };
  };
}

interface PodSpec {
  restartPolicy: string;
  containers: {
    command: string[];
    args: string[];
    env: { name: string }[];
    volumeMounts: { name: string; mountPath: string }[];
  }[];
  volumes: { name: string; configMap: { name: string } }[];
}

/** The CronJob manifest, parsed; any YAML error or warning fails the test. */
function cronJob(): CronJob {
  const documents = YAML.parseAllDocuments(readFileSync(deploy('kubernetes/cronjob.yaml'), 'utf8'));
  expect(documents).toHaveLength(1);
  expect([...documents[0]!.errors, ...documents[0]!.warnings]).toEqual([]);
  return documents[0]!.toJS() as CronJob;
}

/** A systemd unit file as sections of keys, each with all its values in order. */
function ini(file: string): Record<string, Record<string, string[]>> {
  const sections: Record<string, Record<string, string[]>> = {};
  let section: Record<string, string[]> | undefined;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim() || /^[#;]/.test(line)) continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) section = sections[header[1]!] = {};
    else {
      const [, key, value] = /^(\w+)=(.*)$/.exec(line) ?? [];
      if (!section || !key) throw new Error(`${file}: cannot read: ${line}`);
      const values = section[key];
      if (values) values.push(value!);
      else section[key] = [value!];
    }
  }
  return sections;
}
