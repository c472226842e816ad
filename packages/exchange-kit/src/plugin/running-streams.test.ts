import { describe, expect, it } from 'vitest';
import { RunningStreams } from './running-streams.js';

describe('RunningStreams', () => {
  it('keeps the streams that said they run, and ends them all once', async () => {
    const streams = new RunningStreams<string>();
    streams.note('a', true);
    streams.note('b', true);
    streams.note('a', false);
    expect(streams.size).toBe(1);
    const ended: string[] = [];
    await streams.endAll(async (stream) => {
      ended.push(stream);
    });
    expect(ended).toEqual(['b']);
    expect(streams.size).toBe(0);
  });
});
