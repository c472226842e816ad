import { sleep, waitFor } from '@arbitrage/test-support';
import { describe, expect, it } from 'vitest';
import { BaseWebSocketClient } from './base-client.js';
import { type WebSocketError, WebSocketProtocolError } from './errors.js';
import type { MessageMeta } from './events.js';
import { useFixture } from './test-support/fixture.js';
import { TEST_TIMINGS } from './test-support/recording-client.js';
import type { ProxyMode, TcpProxy } from './test-support/tcp-proxy.js';

describe('BaseWebSocketClient inbound frames', () => {
  const fixture = useFixture();

  it('counts invalid JSON as a parse error and keeps the connection', async () => {
    const server = await fixture.server({
      onConnection: (peer) => {
        peer.socket.send('{"broken":');
        peer.socket.send(Buffer.from([0x01, 0x02, 0xff]), { binary: true });
        peer.sendJson({ ok: 1 }, true);
        peer.sendJson({ ok: 2 });
      },
    });
    const client = fixture.client({ url: server.url });
    await client.connect();
    await waitFor(() => client.messages.length === 2, 'valid messages after the broken ones');
    expect(client.messages).toEqual([{ ok: 1 }, { ok: 2 }]);
    expect(client.metas.map((meta) => meta.isBinary)).toEqual([true, false]);
    expect(client.errors.map((error) => [error.constructor, error.code])).toEqual([
      [WebSocketProtocolError, 'WS_PARSE_ERROR'],
      [WebSocketProtocolError, 'WS_PARSE_ERROR'],
    ]);
    expect(client.errors[0]!.message).toContain('{"broken":');
    expect(client.counters).toMatchObject({ parseErrors: 2, messages: 4, dataMessages: 2, opens: 1 });
    expect(client.reconnects).toEqual([]);
  });

  it('treats a frame over maxPayload as a protocol violation (1009) and reconnects', async () => {
    const server = await fixture.server({
      onConnection: (peer) => {
        if (peer.index === 0) peer.socket.send(JSON.stringify({ big: 'x'.repeat(2_048) }));
        else peer.sendJson({ small: true });
      },
    });
    const client = fixture.client({ url: server.url, maxPayload: 1_024 });
    await client.connect();
    await waitFor(() => client.messages.length === 1, 'message on the second connection');
    expect(client.messages).toEqual([{ small: true }]);
    expect(client.errors).toHaveLength(1);
    expect(client.errors[0]).toBeInstanceOf(WebSocketProtocolError);
    expect(client.errors[0]).toMatchObject({ code: 'WS_PROTOCOL_VIOLATION', closeCode: 1009, generation: 1 });
    expect(client.counters.opens).toBe(2);
  });

  it('treats invalid UTF-8 in a text frame as a protocol violation (1007) unless validation is skipped', async () => {
    const invalid = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    const server = await fixture.server({
      onConnection: (peer) => {
        if (peer.index === 0) peer.socket.send(invalid, { binary: false });
        else peer.sendJson({ fine: true });
      },
    });
    const strict = fixture.client({ url: server.url });
    await strict.connect();
    await waitFor(() => strict.messages.length === 1, 'message on the second connection');
    expect(strict.errors[0]).toMatchObject({ code: 'WS_PROTOCOL_VIOLATION', closeCode: 1007 });

    const lenient = await fixture.server({
      onConnection: (peer) => peer.socket.send(invalid, { binary: false }),
    });
    const trusting = fixture.client({ url: lenient.url, skipUTF8Validation: true });
    await trusting.connect();
    await waitFor(() => trusting.messages.length === 1, 'lenient decode');
    expect(trusting.errors).toEqual([]);
    expect(trusting.messages[0]).toEqual({ a: '\ufffd(' });
  });

  it('reports handler and listener errors without stopping the loop', async () => {
    const server = await fixture.server({
      onConnection: (peer) => {
        for (let n = 1; n <= 3; n++) peer.sendJson({ n });
      },
    });
    const client = fixture.client({ url: server.url });
    client.onMessageHook = (message) => {
      if ((message as { n: number }).n === 2) throw new Error('handler bug');
    };
    client.on('open', () => {
      throw new Error('listener bug');
    });
    client.on('error', () => {
      throw new Error('error listener bug');
    });
    await client.connect();
    await waitFor(() => client.messages.length === 3, 'all three messages');
    expect(client.errorCodes()).toEqual(['WS_HANDLER_ERROR', 'WS_HANDLER_ERROR']);
    expect(client.errors.map((error) => error.message)).toEqual([
      expect.stringContaining("'open' listener threw: listener bug"),
      expect.stringContaining('onMessage threw: handler bug'),
    ]);
    // Two handler errors plus the two throws of the error listener itself.
    expect(client.counters.handlerErrors).toBe(4);
    expect(client.state).toBe('open');
  });

  it('lets an adapter decode straight from bytes; a throwing decoder is a parse error', async () => {
    class LengthClient extends BaseWebSocketClient {
      readonly seen: Array<{ value: unknown; meta: MessageMeta }> = [];
      protected subscribeMessages(): unknown[] {
        return [];
      }
      protected unsubscribeMessages(): unknown[] {
        return [];
      }
      protected override decode(data: Buffer, isBinary: boolean): unknown {
        if (data[0] === 0x21) throw new Error('bang');
        return { first: data[0], isBinary };
      }
      protected onMessage(message: unknown, meta: MessageMeta): void {
        this.seen.push({ value: message, meta: { ...meta } });
      }
    }
    const server = await fixture.server({
      onConnection: (peer) => {
        peer.socket.send(Buffer.from([7, 8]), { binary: true });
        peer.socket.send('!oops');
        peer.socket.send('A');
      },
    });
    const client = new LengthClient({ url: server.url, name: 'bytes', heartbeat: false });
    const errors: WebSocketError[] = [];
    client.on('error', (error) => errors.push(error));
    try {
      await client.connect();
      await waitFor(() => client.seen.length === 2, 'two decoded frames');
      expect(client.seen.map((entry) => entry.value)).toEqual([
        { first: 7, isBinary: true },
        { first: 65, isBinary: false },
      ]);
      expect(errors.map((error) => error.code)).toEqual(['WS_PARSE_ERROR']);
      expect(errors[0]!.cause).toBeInstanceOf(Error);
      expect(client.counters.parseErrors).toBe(1);
    } finally {
      await client.disconnect();
    }
  });

  it('gives identical messages when TCP delivers 1-byte slices or coalesces many frames', async () => {
    const payloads = [
      { small: 1 },
      { medium: 'm'.repeat(200) },
      { unicode: '가격 ₩ 🚀', list: [1, 2, 3] },
      ...Array.from({ length: 10 }, (_, seq) => ({ seq, pad: 'p'.repeat(seq * 37) })),
    ];
    const large = { large: 'L'.repeat(70_000) };
    const bytes = payloads.reduce((sum, payload) => sum + JSON.stringify(payload).length, 0);
    let writes = 0;
    const received = async (mode: ProxyMode | 'direct', withLarge: boolean): Promise<unknown[]> => {
      const server = await fixture.server({
        onConnection: (peer) => {
          peer.socket.once('message', () => {
            for (const [index, payload] of payloads.entries()) peer.sendJson(payload, index % 2 === 1);
            if (withLarge) peer.sendJson(large, true);
          });
        },
      });
      let url = server.url;
      let proxy: TcpProxy | undefined;
      if (mode !== 'direct') {
        proxy = await fixture.proxy(server);
        proxy.mode = mode;
        url = proxy.url();
      }
      const client = fixture.client({ url, heartbeat: TEST_TIMINGS.heartbeat, maxPayload: 100_000 });
      client.subscribe(['go']);
      await client.connect();
      const expected = payloads.length + (withLarge ? 1 : 0);
      await waitFor(() => client.messages.length === expected, `${expected} messages via ${mode}`, {
        timeoutMs: 10_000,
      });
      await sleep(20);
      expect(client.errors).toEqual([]);
      expect(client.counters.opens).toBe(1);
      writes = proxy?.downstreamWrites ?? 0;
      return client.messages;
    };
    const direct = await received('direct', true);
    expect(direct).toEqual([...payloads, large]);
    expect(await received('slice', false)).toEqual(payloads);
    // Every byte of every frame (headers included) went in its own write.
    expect(writes).toBeGreaterThan(bytes);
    expect(await received('coalesce', true)).toEqual(direct);
    // The handshake response plus a handful of writes carrying all 14 frames.
    expect(writes).toBeLessThan(10);
  });
});
