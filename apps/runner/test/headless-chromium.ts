import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

/** Debian's package; CHROMIUM_PATH overrides it. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface CdpEvent {
  readonly method: string;
  readonly params: Record<string, unknown>;
  readonly sessionId: string | undefined;
}

interface CdpReply {
  readonly id?: number;
  readonly result?: unknown;
  readonly error?: { readonly message: string };
  readonly method?: string;
  readonly params?: Record<string, unknown>;
  readonly sessionId?: string;
}

/**
 * A headless Chromium driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`: the browser
 * reads NUL-terminated JSON on fd 3 and writes on fd 4), so no port and no WebSocket are involved.
 * It runs in its own process group with a throwaway profile; close() ends both.
 */
export class HeadlessChromium {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private readonly listeners = new Set<(event: CdpEvent) => void>();
  private buffered = '';
  private stderr = '';
  private readonly exited: Promise<void>;
  private exitedYet = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly profileDir: string,
  ) {
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-8000);
    });
    (child.stdio[4] as Readable).setEncoding('utf8').on('data', (chunk: string) => this.receive(chunk));
    this.exited = new Promise((resolve) =>
      child.once('exit', () => {
        this.exitedYet = true;
        for (const { reject } of this.pending.values()) reject(new Error(`Chromium exited: ${this.stderr}`));
        this.pending.clear();
        resolve();
      }),
    );
  }

  static async launch(): Promise<HeadlessChromium> {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium is not installed (${CHROMIUM} is missing): the report test needs a real headless Chromium. ` +
          "Install Debian's package as root with `apt-get update && apt-get install -y chromium` (.ci/run does this), " +
          'or point CHROMIUM_PATH at a Chromium binary.',
      );
    }
    const profileDir = mkdtempSync(join(tmpdir(), 'report-chromium-'));
    const child = spawn(
      CHROMIUM,
      [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-extensions',
        '--no-first-run',
        '--remote-debugging-pipe',
        `--user-data-dir=${profileDir}`,
        'about:blank',
      ],
      {
        stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
        detached: true,
        // Keeps Chromium's config and cache writes inside the throwaway profile.
        env: { ...process.env, HOME: profileDir, XDG_CONFIG_HOME: profileDir, XDG_CACHE_HOME: profileDir },
      },
    );
    const browser = new HeadlessChromium(child, profileDir);
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    await browser.send('Browser.getVersion');
    return browser;
  }

  get pid(): number {
    return this.child.pid!;
  }

  send<T = Record<string, unknown>>(
    method: string,
    params: Record<string, unknown> = {},
    sessionId?: string,
  ): Promise<T> {
    if (this.exitedYet) return Promise.reject(new Error('Chromium has exited'));
    const id = ++this.nextId;
    const message = JSON.stringify(
      sessionId === undefined ? { id, method, params } : { id, method, params, sessionId },
    );
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      (this.child.stdio[3] as Writable).write(`${message}\0`);
    });
  }

  /** Calls `listener` with every protocol event until the returned function is called. */
  onEvent(listener: (event: CdpEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Asks the browser to close, kills its process group if it does not, and removes the profile. */
  async close(): Promise<void> {
    if (!this.exitedYet) {
      this.send('Browser.close').catch(() => {});
      const timer = setTimeout(() => this.killGroup(), 5000);
      await this.exited;
      clearTimeout(timer);
    }
    // Helpers (zygote, renderers) notice their parent is gone and exit shortly after it.
    const deadline = Date.now() + 10_000;
    while (this.leftoverProcesses().length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (this.leftoverProcesses().length > 0) this.killGroup();
    rmSync(this.profileDir, { recursive: true, force: true });
  }

  /** Processes still in Chromium's process group or using its profile. */
  leftoverProcesses(): number[] {
    const leftovers: number[] = [];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (fields[0] === 'Z') continue;
        const inGroup = Number(fields[2]) === this.pid;
        const usesProfile = readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(this.profileDir);
        if (inGroup || usesProfile) leftovers.push(Number(entry));
      } catch {
        // The process ended while being read.
      }
    }
    return leftovers;
  }

  private killGroup(): void {
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }

  private receive(text: string): void {
    this.buffered += text;
    for (let end = this.buffered.indexOf('\0'); end >= 0; end = this.buffered.indexOf('\0')) {
      const message = JSON.parse(this.buffered.slice(0, end)) as CdpReply;
      this.buffered = this.buffered.slice(end + 1);
      if (message.id !== undefined) {
        const waiter = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error) waiter?.reject(new Error(`CDP: ${message.error.message}`));
        else waiter?.resolve(message.result);
      } else if (message.method !== undefined) {
        const event = { method: message.method, params: message.params ?? {}, sessionId: message.sessionId };
        for (const listener of this.listeners) listener(event);
      }
    }
  }
}
