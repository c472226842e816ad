import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClientMessage, ParentMessage } from './protocol.js';

/** A forked client process: its messages queued, read one type at a time. */
export class ClientProcess {
  private readonly queue: ClientMessage[] = [];
  private waiter: (() => void) | undefined;
  private exited = false;

  constructor(readonly child: ChildProcess) {
    child.on('message', (message: ClientMessage) => {
      this.queue.push(message);
      this.waiter?.();
    });
    child.on('exit', () => {
      this.exited = true;
      this.waiter?.();
    });
  }

  send(message: ParentMessage): void {
    if (!this.exited) this.child.send(message);
  }

  /** The next message of `type` (earlier messages of other types are dropped), or undefined on timeout. */
  async next<T extends ClientMessage['type']>(
    type: T,
    timeoutMs: number,
  ): Promise<Extract<ClientMessage, { type: T }> | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.queue.length > 0) {
        const message = this.queue.shift()!;
        if (message.type === 'failed') throw new Error(`client failed: ${message.message}`);
        if (message.type === type) return message as Extract<ClientMessage, { type: T }>;
      }
      if (this.exited) throw new Error(`client process exited while waiting for '${type}'`);
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
  }

  async exit(): Promise<void> {
    if (this.exited) return;
    this.send({ type: 'exit' });
    const deadline = Date.now() + 5000;
    while (!this.exited && Date.now() < deadline) await sleep(10);
    if (!this.exited) this.child.kill('SIGKILL');
  }
}
