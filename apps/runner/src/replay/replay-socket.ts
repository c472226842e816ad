import { EventEmitter } from 'node:events';

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;

/**
 * A WebSocket as a plugin sees it during replay (the events and methods of ws-client's SocketLike): it opens, delivers frames and closes when the
 * replay says so, in recorded order and on the virtual clock. What the plugin sends (subscriptions,
 * pings) goes nowhere; a ping is answered by a pong, as a server would.
 */
export class ReplaySocket extends EventEmitter {
  readyState = CONNECTING;
  /** The recorded connection this socket plays, once the replay bound it (-1 before). */
  connection = -1;
  sent = 0;

  constructor(
    readonly url: string,
    /** Runs `task` after the current step, so that no event re-enters the caller. */
    private readonly defer: (task: () => void) => void,
  ) {
    super();
  }

  send(): void {
    this.sent++;
  }

  ping(): void {
    this.defer(() => {
      if (this.readyState === OPEN) this.emit('pong');
    });
  }

  close(code = 1000, reason = ''): void {
    this.finish(code, reason);
  }

  terminate(): void {
    this.finish(1006, '');
  }

  /** The recorded connection opened. */
  open(): void {
    if (this.readyState !== CONNECTING) return;
    this.readyState = OPEN;
    this.emit('open');
  }

  /** One recorded frame. */
  deliver(data: Buffer, binary: boolean): void {
    if (this.readyState === OPEN) this.emit('message', data, binary);
  }

  /** The recorded connection closed (or the plugin closed it). */
  finish(code: number, reason: string): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    this.defer(() => this.emit('close', code, Buffer.from(reason)));
  }
}
