import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';

describe('structured logs', () => {
  it('are one JSON line each, without secrets, message text or query parameters', () => {
    const lines: string[] = [];
    const log = createLogger('info', (l) => lines.push(l));
    log.debug('not at info level');
    log.error('command failed', {
      command: 'log',
      token: 't-secret',
      text: '/记录 张小明 辍学',
      err: new Error('Failed query: insert into "observations" values ($1, $2)\nparams: 张小明,家访记录'),
    });
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ level: 'error', msg: 'command failed', command: 'log', token: '[redacted]', text: '[redacted]' });
    expect(entry.err.message).toBe('Failed query: insert into "observations" values ($1, $2)\nparams: [redacted]');
    expect(lines[0]).not.toContain('张小明');
  });
});
