import { readFileSync } from 'node:fs';
import { validate } from 'dockerfile-utils';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../container/dockerfile.js';

/**
 * What the Dockerfile and compose.yaml promise (docs/deployment.md#container), read from
 * the files themselves. Building and running them without a container runtime
 * is .ci/container's (test/container/run.ts).
 */
const ROOT = new URL('../../', import.meta.url).pathname;
const dockerfile = readFileSync(`${ROOT}Dockerfile`, 'utf8');
const stages = parseDockerfile(dockerfile);
const final = stages.at(-1)!;
const compose = parseYaml(readFileSync(`${ROOT}compose.yaml`, 'utf8'));

describe('the Dockerfile', () => {
  it('is multi-stage on Node 20 slim, installs production dependencies only, with install scripts off', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const s of stages) if ('image' in s.from) expect(s.from.image).toBe('node:20-slim');
    const installs = stages.flatMap((s) => s.steps).filter((s) => s.kind === 'run' && /\bnpm (ci|install)\b/.test(s.command));
    expect(installs.length).toBeGreaterThan(0);
    for (const i of installs) expect(i.kind === 'run' && i.command).toMatch(/npm ci --omit=dev --ignore-scripts/);
  });

  it('builds dist/ in the image and runs it as a non-root user, with a HEALTHCHECK on /healthz', () => {
    const builds = stages.filter((s) => s.steps.some((step) => step.kind === 'run' && /\bnpm run build\b/.test(step.command)));
    expect(builds.map((s) => s.name)).toContain('build');
    expect(final.steps).toContainEqual(expect.objectContaining({ kind: 'copy', from: 'build', sources: ['/app/dist'] }));
    // Nothing of the build context but package.json reaches the final image: no sources, no .env.
    expect(final.steps.filter((s) => s.kind === 'copy' && !s.from).flatMap((s) => (s.kind === 'copy' ? s.sources : []))).toEqual(['package.json']);
    expect(final.user).toBe('node');
    expect(final.cmd).toEqual(['node', 'dist/node.js']);
    expect(final.healthcheck?.cmd.join(' ')).toContain('/healthz');
    expect(final.env).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0', PORT: '3000' });
    expect(final.volumes).toEqual([final.env.DATA_DIR]);
  });

  it('passes dockerfile-utils with no error and no warning (and the linter does flag a broken one)', () => {
    expect(validate(dockerfile)).toEqual([]);
    expect(validate('FROM node:20-slim\nCMD ["node", "dist/node.js"\nEXPOSE abc\n').length).toBeGreaterThan(0);
  });
});

describe('compose.yaml', () => {
  it('runs PostgreSQL 16 on a volume, the migrations once before the app, and the Lark variables from .env', () => {
    const { db, migrate, app } = compose.services;
    expect(db.image).toBe('postgres:16');
    expect(db.volumes).toEqual(['pgdata:/var/lib/postgresql/data']);
    expect(Object.keys(compose.volumes)).toEqual(['pgdata']);
    expect(migrate.command).toEqual(['node', 'dist/cli.js', 'db', 'migrate']);
    expect(migrate.restart).toBe('no');
    expect(migrate.depends_on).toEqual({ db: { condition: 'service_healthy' } });
    expect(app.depends_on).toEqual({ migrate: { condition: 'service_completed_successfully' } });
    expect(app.env_file).toBe('.env');
    expect(app.environment.DATABASE_URL).toBe(migrate.environment.DATABASE_URL);
    expect(readFileSync(`${ROOT}.dockerignore`, 'utf8').split('\n')).toContain('.env');
    // .env.example names every Lark variable (docs/deployment.md#configuration).
    const example = readFileSync(`${ROOT}.env.example`, 'utf8');
    for (const v of ['LARK_APP_ID', 'LARK_APP_SECRET', 'LARK_VERIFICATION_TOKEN', 'LARK_ENCRYPT_KEY', 'LARK_DOMAIN'])
      expect(example).toMatch(new RegExp(`^${v}=`, 'm'));
  });
});
