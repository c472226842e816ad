import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { MemorySink } from '../test-support/support.js';
import { parseCommand } from './program.js';

describe('--exchanges', () => {
  it('takes the KRW venue first, then every USDT venue, on paper, record and backtest', async () => {
    const output = new MemorySink();
    const io = {
      writeOut: (text: string) => output.write(text),
      writeErr: (text: string) => output.write(text),
    };
    for (const argv of [
      ['paper', '--exchanges', 'upbit,binance,okx'],
      ['record', '--out', 'dir', '--exchanges', 'upbit, binance, okx'],
      ['backtest', '--data', 'dir', '--exchanges', 'upbit,binance,okx'],
    ]) {
      const command = await parseCommand(argv, io);
      const config = await loadConfig({ env: {}, flags: command.flags });
      expect(config.exchanges, argv.join(' ')).toEqual({ krw: 'upbit', usdt: ['binance', 'okx'] });
    }
    const single = await parseCommand(['paper', '--exchanges', 'upbit,binance'], io);
    expect((await loadConfig({ env: {}, flags: single.flags })).exchanges).toEqual({
      krw: 'upbit',
      usdt: ['binance'],
    });
  });
});
