import { describe, expect, it } from 'vitest';
import { connect, connectLater, simulator } from './helpers.js';

describe('exchange limits the simulator enforces and counts', () => {
  it('refuses Binance connections past the per-5-minute limit with HTTP 429', async () => {
    const sim = await simulator({ binance: { maxConnectionsPer5Min: 2 } });
    await connect(`${sim.binance.wsUrl}/ws`);
    await connect(`${sim.binance.wsUrl}/ws`);
    expect(sim.limitHits()).toEqual({});
    await expect(connectLater(`${sim.binance.wsUrl}/ws`).opened).rejects.toThrow('HTTP 429');
    expect(sim.limitHits()).toEqual({ 'binance.connectionsPer5Min': 1 });
  });

  it('counts Binance connections closed for sending more than 5 messages a second', async () => {
    const sim = await simulator();
    const client = await connect(`${sim.binance.wsUrl}/ws`);
    for (let id = 1; id <= 6; id++) client.send({ method: 'LIST_SUBSCRIPTIONS', id });
    expect(await client.closed).toBe(1008);
    expect(sim.limitHits()).toEqual({ 'binance.messagesPerSecond': 1 });
  });

  it('refuses Upbit connection attempts past the per-second limit when it is enforced', async () => {
    const sim = await simulator({ upbit: { maxConnectsPerSecond: 2 } });
    await connect(`${sim.upbit.wsUrl}/websocket/v1`);
    await connect(`${sim.upbit.wsUrl}/websocket/v1`);
    await expect(connectLater(`${sim.upbit.wsUrl}/websocket/v1`).opened).rejects.toThrow('HTTP 429');
    expect(sim.limitHits()).toEqual({ 'upbit.connectsPerSecond': 1 });
  });

  it('answers the sixth Upbit message in a second with an error, then closes, when it is enforced', async () => {
    const sim = await simulator({ upbit: { maxMessagesPerSecond: 5 } });
    const client = await connect(`${sim.upbit.wsUrl}/websocket/v1`);
    for (let i = 0; i < 6; i++) client.send('PING');
    const error = await client.next<{ error?: { name: string } }>((message) => message.error !== undefined);
    expect(error.error?.name).toBe('TOO_MANY_REQ');
    expect(await client.closed).toBe(1000);
    expect(sim.limitHits()).toEqual({ 'upbit.messagesPerSecond': 1 });
  });
});
