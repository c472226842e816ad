import { ConfigError } from '@arbitrage/core';
import { describe, expect, it } from 'vitest';
import { classifySocketError, unexpectedCloseError } from './classify.js';
import { WebSocketConnectionError, WebSocketProtocolError } from './errors.js';
import { checkLiveness, type LivenessState, nextLivenessCheck } from './liveness.js';
import { resolveOptions } from './options.js';
import { OutboundPacer } from './outbound-pacer.js';
import { parseRetryAfter } from './retry-after.js';
import { SendQueue } from './send-queue.js';
import { TypedEmitter } from './typed-emitter.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 1.5 ', now)).toBe(1_500);
    expect(parseRetryAfter(['3', '9'], now)).toBe(3_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
  });
  it('ignores missing or unusable values', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});

describe('OutboundPacer', () => {
  it('allows `limit` frames per rolling second and says how long the next must wait', () => {
    const pacer = new OutboundPacer(2);
    expect(pacer.delay(0)).toBe(0);
    pacer.record(0);
    pacer.record(400);
    expect(pacer.delay(500)).toBe(500);
    expect(pacer.delay(1_000)).toBe(0);
    pacer.record(1_000);
    expect(pacer.delay(1_100)).toBe(300);
    expect(pacer.countInWindow(1_100)).toBe(2);
  });
  it('never waits when unlimited but still counts, and can be lowered', () => {
    const pacer = new OutboundPacer(Number.POSITIVE_INFINITY);
    for (let i = 0; i < 100; i++) pacer.record(i);
    expect(pacer.delay(100)).toBe(0);
    expect(pacer.countInWindow(100)).toBe(100);
    pacer.setLimit(10);
    expect(pacer.delay(100)).toBe(990);
    expect(pacer.countInWindow(2_000)).toBe(0);
  });
});

describe('SendQueue', () => {
  it('bounds user payloads, puts subscriptions first and never drops them', () => {
    const queue = new SendQueue(2);
    expect(queue.push('u1')).toBe(true);
    expect(queue.push('u2')).toBe(true);
    expect(queue.push('u3')).toBe(false);
    queue.pushSubscription('s1');
    queue.pushSubscription('s2');
    expect(queue.size).toBe(4);
    expect([queue.shift(), queue.shift(), queue.shift()]).toEqual(['s1', 's2', 'u1']);
    expect(queue.push('u4')).toBe(true);
    expect(queue.clear()).toBe(2);
    expect(queue.shift()).toBeUndefined();
  });
});

describe('TypedEmitter', () => {
  interface Events {
    tick: number;
    done: string;
  }
  it('delivers payloads in order, supports once/off and isolates throwing listeners', () => {
    const failures: Array<[unknown, keyof Events]> = [];
    const emitter = new TypedEmitter<Events>((error, event) => failures.push([error, event]));
    const seen: string[] = [];
    const off = emitter.on('tick', (n) => seen.push(`a${n}`));
    emitter.on('tick', () => {
      throw new Error('boom');
    });
    emitter.once('tick', (n) => seen.push(`once${n}`));
    emitter.on('tick', (n) => seen.push(`c${n}`));
    expect(emitter.emit('tick', 1)).toBe(true);
    off();
    emitter.emit('tick', 2);
    expect(seen).toEqual(['a1', 'once1', 'c1', 'c2']);
    expect(failures).toHaveLength(2);
    expect(failures[0]![1]).toBe('tick');
    expect(emitter.listenerCount('tick')).toBe(2);
    expect(emitter.emit('done', 'x')).toBe(false);
    emitter.removeAllListeners();
    expect(emitter.listenerCount()).toBe(0);
  });
});

describe('resolveOptions', () => {
  it('applies the documented defaults', () => {
    const options = resolveOptions({ url: 'wss://example.test/ws', name: 'x' });
    expect(options).toMatchObject({
      backoff: { baseMs: 1_000, capMs: 30_000, jitter: 0.5, factor: 2 },
      maxReconnectAttempts: Number.POSITIVE_INFINITY,
      minConnectIntervalMs: 1_000,
      connectTimeoutMs: 10_000,
      heartbeat: { intervalMs: 15_000, timeoutMs: 45_000 },
      staleAfterMs: undefined,
      maxQueuedMessages: 256,
      maxOutboundPerSecond: Number.POSITIVE_INFINITY,
      maxPayload: 1_048_576,
      perMessageDeflate: false,
      skipUTF8Validation: false,
      closeTimeoutMs: 1_000,
      healthyOnFirstData: true,
    });
    expect(resolveOptions({ url: () => 'ws://a', name: 'x', heartbeat: false }).heartbeat).toBeUndefined();
  });
  it('rejects impossible values with a ConfigError naming the option', () => {
    expect(() => resolveOptions({ url: 'http://x', name: 'n' })).toThrow(
      /must start with ws:\/\/ or wss:\/\//,
    );
    expect(() => resolveOptions({ url: 'not a url', name: 'n' })).toThrow(ConfigError);
    expect(() => resolveOptions({ url: 'ws://x', name: '' })).toThrow(/name/);
    expect(() => resolveOptions({ url: 'ws://x', name: 'n', backoff: { baseMs: 0 } })).toThrow(
      /backoff.baseMs/,
    );
    expect(() => resolveOptions({ url: 'ws://x', name: 'n', backoff: { baseMs: 10, capMs: 5 } })).toThrow(
      /capMs/,
    );
    expect(() => resolveOptions({ url: 'ws://x', name: 'n', backoff: { jitter: 2 } })).toThrow(/jitter/);
    expect(() =>
      resolveOptions({ url: 'ws://x', name: 'n', backoff: { capMs: Number.POSITIVE_INFINITY } }),
    ).toThrow(/finite/);
    expect(() => resolveOptions({ url: 'ws://x', name: 'n', staleAfterMs: -1 })).toThrow(/staleAfterMs/);
    expect(() => resolveOptions({ url: 'ws://x', name: 'n', maxOutboundPerSecond: 0 })).toThrow(
      /maxOutboundPerSecond/,
    );
  });
});

describe('classifySocketError', () => {
  const context = { client: 'c', attempt: 2, generation: 5 };
  const withCode = (code: string): Error => Object.assign(new Error(code), { code });
  it('maps transport and protocol failures to classes and codes', () => {
    expect(classifySocketError(withCode('ECONNREFUSED'), false, 'ws://h', context)).toMatchObject({
      code: 'WS_REFUSED',
      attempt: 2,
      generation: 5,
    });
    expect(classifySocketError(withCode('ENOTFOUND'), false, 'ws://h', context).code).toBe('WS_DNS');
    expect(classifySocketError(withCode('EAI_AGAIN'), false, 'ws://h', context).code).toBe('WS_DNS');
    expect(classifySocketError(withCode('ECONNRESET'), true, 'ws://h', context).code).toBe('WS_NETWORK');
    const tooBig = classifySocketError(
      withCode('WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'),
      true,
      'ws://h',
      context,
    );
    expect(tooBig).toBeInstanceOf(WebSocketProtocolError);
    expect(tooBig.closeCode).toBe(1009);
    expect(classifySocketError(withCode('WS_ERR_INVALID_OPCODE'), true, 'ws://h', context).closeCode).toBe(
      1002,
    );
    const other = classifySocketError(
      new Error('Invalid Sec-WebSocket-Accept header'),
      false,
      'ws://h',
      context,
    );
    expect(other).toBeInstanceOf(WebSocketConnectionError);
    expect(other.code).toBe('WS_CONNECT_FAILED');
    expect(other.cause).toBeInstanceOf(Error);
  });
  it('describes unexpected closes with their code and reason', () => {
    const error = unexpectedCloseError(1008, 'Too many requests', context);
    expect(error).toMatchObject({
      code: 'WS_UNEXPECTED_CLOSE',
      closeCode: 1008,
      closeReason: 'Too many requests',
    });
    expect(error.message).toContain('outbound rate lowered');
    expect(unexpectedCloseError(1006, '', context).message).toContain('without a close frame');
  });
});

describe('checkLiveness', () => {
  const heartbeat = { intervalMs: 100, timeoutMs: 300 };
  const fresh = (): LivenessState => ({
    lastInboundAt: 0,
    dataWindowStart: 0,
    heartbeatSentAt: 0,
    nextHeartbeatAt: 100,
  });

  it('sends heartbeats on schedule and times out D after the first unanswered one', () => {
    const state = fresh();
    const policy = { heartbeat, staleAfterMs: undefined };
    expect(nextLivenessCheck(state, policy)).toBe(100);
    expect(checkLiveness(state, 100, policy)).toBe('send-heartbeat');
    expect(state).toMatchObject({ heartbeatSentAt: 100, nextHeartbeatAt: 200 });
    expect(checkLiveness(state, 200, policy)).toBe('send-heartbeat');
    // The outstanding heartbeat keeps its original time: the deadline does not slide.
    expect(state.heartbeatSentAt).toBe(100);
    expect(nextLivenessCheck(state, policy)).toBe(300);
    expect(checkLiveness(state, 300, policy)).toBe('send-heartbeat');
    expect(checkLiveness(state, 399, policy)).toBe('ok');
    expect(checkLiveness(state, 400, policy)).toBe('heartbeat-timeout');
  });

  it('counts any inbound frame after the heartbeat as its answer', () => {
    const state = fresh();
    const policy = { heartbeat, staleAfterMs: undefined };
    checkLiveness(state, 100, policy);
    state.lastInboundAt = 150;
    expect(checkLiveness(state, 200, policy)).toBe('send-heartbeat');
    expect(state.heartbeatSentAt).toBe(200);
    expect(checkLiveness(state, 499, policy)).toBe('send-heartbeat');
    expect(checkLiveness(state, 500, policy)).toBe('heartbeat-timeout');
  });

  it('declares staleness from the data window, independent of heartbeats', () => {
    const state = fresh();
    const policy = { heartbeat: undefined, staleAfterMs: 200 };
    expect(nextLivenessCheck(state, policy)).toBe(200);
    state.lastInboundAt = 190;
    expect(checkLiveness(state, 199, policy)).toBe('ok');
    expect(checkLiveness(state, 200, policy)).toBe('stale');
    state.dataWindowStart = 150;
    expect(checkLiveness(state, 300, policy)).toBe('ok');
    expect(nextLivenessCheck(state, policy)).toBe(350);
    expect(nextLivenessCheck(state, { heartbeat: undefined, staleAfterMs: undefined })).toBe(
      Number.POSITIVE_INFINITY,
    );
  });
});
