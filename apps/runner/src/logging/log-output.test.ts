import { describe, expect, it } from 'vitest';
import { formatLogLine } from './format-log-line.js';
import { chooseLogOutput } from './log-output.js';

describe('chooseLogOutput', () => {
  it.each([
    [true, false, 'terminal'],
    [true, true, 'json-lines'],
    [false, false, 'json-lines'],
    [false, true, 'json-lines'],
  ] as const)('terminal %s, --json %s: %s', (terminal, json, expected) => {
    expect(chooseLogOutput({ terminal, json })).toBe(expected);
  });
});

describe('formatLogLine', () => {
  it('a warning as one line of text with its fields, errors by message', () => {
    const line = JSON.stringify({
      level: 40,
      time: Date.UTC(2026, 11, 6, 13, 2, 11),
      app: 'arbitrage-runner',
      signal: 'SIGINT',
      err: { type: 'Error', message: 'boom', stack: 'Error: boom\n at x' },
      msg: 'signal received: stopping and summarising',
    });
    expect(formatLogLine(`${line}\n`)).toBe(
      '13:02:11 WARN  signal received: stopping and summarising (signal=SIGINT, err=boom)\n',
    );
  });

  it('info and debug lines stay in the log file only', () => {
    expect(formatLogLine('{"level":30,"time":1,"msg":"book state"}\n')).toBeUndefined();
    expect(formatLogLine('{"level":20,"time":1,"msg":"x"}\n')).toBeUndefined();
  });
});
