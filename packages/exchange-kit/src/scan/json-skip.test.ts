import { describe, expect, it } from 'vitest';
import { MAX_SKIP_NESTING, skipJsonValue } from './json-skip.js';

const skip = (text: string) => skipJsonValue(Buffer.from(text, 'utf8'), 0);

describe('skipJsonValue', () => {
  it.each([
    ['"abc"', 5],
    ['123', 3],
    ['-1.5e3', 6],
    ['true', 4],
    ['false', 5],
    ['null', 4],
    ['[]', 2],
    ['{}', 2],
    ['[1, "a", {"b": [true, null]}]', 29],
    ['{ "a" : { "b" : [ 1 , 2 ] } }', 29],
  ])('skips %s to %d', (text, end) => {
    expect(skip(text)).toBe(end);
    expect(skip(`${text},"next"`)).toBe(end);
  });

  it.each([
    '',
    'tru',
    'nul',
    '01',
    '"a\\n"',
    '"é"',
    '[1,]',
    '[1 2]',
    '{"a"}',
    '{"a":1,}',
    '{1:2}',
    '[',
    '{"a":',
  ])('declines %j', (text) => {
    expect(skip(text)).toBe(-1);
  });

  it(`declines containers nested deeper than ${MAX_SKIP_NESTING}`, () => {
    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    expect(skip(nested(MAX_SKIP_NESTING))).toBe(MAX_SKIP_NESTING * 2);
    expect(skip(nested(MAX_SKIP_NESTING + 1))).toBe(-1);
  });
});
