import { describe, expect, it } from 'vitest';
import { MemorySink } from '../test-support/support.js';
import { createRunnerLogger } from './create-logger.js';
import { REDACTED, SecretScrubber } from './secrets.js';

const CANARY = 'canary-UPBIT-9f8e7d6c5b4a';
const SECRET = 'sk/"quoted"\\binance-0123456789';

describe('secret redaction', () => {
  it('reads only the four credential variables, ignoring empty ones', () => {
    const scrubber = SecretScrubber.fromEnv({
      UPBIT_ACCESS_KEY: CANARY,
      UPBIT_SECRET_KEY: '',
      OTHER: 'not-a-secret-value',
    });
    expect(scrubber.active).toBe(true);
    expect(scrubber.scrub(`a ${CANARY} b not-a-secret-value`)).toBe(`a ${REDACTED} b not-a-secret-value`);
    expect(SecretScrubber.fromEnv({}).active).toBe(false);
  });

  it('scrubs every log line at debug: fields, key paths, messages, error messages, stacks and causes', () => {
    const sink = new MemorySink();
    const logger = createRunnerLogger({
      level: 'debug',
      sink,
      scrubber: SecretScrubber.fromEnv({ UPBIT_ACCESS_KEY: CANARY, BINANCE_API_SECRET: SECRET }),
    });
    logger.debug(
      { apiKey: 'by-key-path-1', request: { headers: { authorization: 'Bearer xyz-abc' } } },
      'keys',
    );
    logger.debug({ UPBIT_SECRET_KEY: 'by-key-path-2', env: { BINANCE_API_KEY: 'by-key-path-3' } }, 'env');
    logger.info({ url: `https://example/?k=${CANARY}` }, `message with ${CANARY}`);
    const cause = new Error(`inner ${SECRET}`);
    logger.error({ err: new Error(`REST failed for key ${CANARY}`, { cause }) }, 'request failed');
    logger.child({ component: 'ws' }).warn({ detail: { nested: { deeper: [CANARY] } } }, 'nested');
    const text = sink.text;
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(5);
    for (const leaked of [CANARY, SECRET, JSON.stringify(SECRET).slice(1, -1), 'by-key-path', 'xyz-abc']) {
      expect(text).not.toContain(leaked);
    }
    const errorLine = JSON.parse(lines[3]!) as { err: { message: string; stack: string } };
    expect(errorLine.err.message).toBe(`REST failed for key ${REDACTED}`);
    expect(errorLine.err.stack).toContain(REDACTED);
    expect(text).toContain(`inner ${REDACTED}`);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      apiKey: REDACTED,
      request: { headers: { authorization: REDACTED } },
    });
  });
});
