import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface NatsServerOptions {
  /** Enable JetStream with a temporary storage directory (removed on stop). */
  readonly jetstream?: boolean;
  /** The binary (default: `nats-server` on PATH; Debian installs it in /usr/sbin). */
  readonly binary?: string;
  /** Server configuration file text (e.g. `max_pending: 65536`), passed with `-c`. */
  readonly config?: string;
  /** How long to wait for the server to accept connections (default 10,000 ms). */
  readonly startTimeoutMs?: number;
}

/** A real nats-server child process on 127.0.0.1 for tests. */
export interface NatsServerHandle {
  readonly port: number;
  /** `nats://127.0.0.1:<port>` */
  readonly url: string;
  /** Kills the server (SIGKILL: a crash, not a goodbye) and waits for it to exit. */
  kill(): Promise<void>;
  /** Starts it again on the same port (after kill) and waits until it accepts connections. */
  restart(): Promise<void>;
  /** Kills it and removes its storage and configuration. Idempotent. */
  stop(): Promise<void>;
}

// Debian installs it in /usr/sbin, which a non-root PATH may lack.
const DEFAULT_BINARY =
  process.env.NATS_SERVER_BIN ??
  (existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : 'nats-server');

/** A port the OS says is free right now (there is a small race until nats-server binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('data', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts `nats-server -a 127.0.0.1 -p <free port>` (with `-js -sd <tmpdir>` for JetStream) and resolves
 * once it sends its INFO line. Throws with the server's stderr when it exits or does not come up.
 */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServerHandle> {
  const port = await freePort();
  const workDir = mkdtempSync(join(tmpdir(), 'nats-server-'));
  const storeDir = options.jetstream ? join(workDir, 'jetstream') : undefined;
  const configFile = options.config === undefined ? undefined : join(workDir, 'nats.conf');
  if (configFile) writeFileSync(configFile, options.config!);
  const args = [
    ...(configFile ? ['-c', configFile] : []),
    '-a',
    '127.0.0.1',
    '-p',
    String(port),
    ...(storeDir ? ['-js', '-sd', storeDir] : []),
  ];
  const binary = options.binary ?? DEFAULT_BINARY;
  const timeoutMs = options.startTimeoutMs ?? 10_000;
  let child: ChildProcess | undefined;
  let stopped = false;

  const launch = async (): Promise<void> => {
    let stderr = '';
    const proc = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    proc.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4_000);
    });
    let failure: Error | undefined;
    proc.once('error', (error) => {
      failure = new Error(`cannot run ${binary} (install Debian's nats-server package): ${error.message}`);
    });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (failure) throw failure;
      if (proc.exitCode !== null) throw new Error(`nats-server exited (${proc.exitCode}): ${stderr}`);
      if (await canConnect(port)) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    proc.kill('SIGKILL');
    throw new Error(`nats-server did not accept connections on ${port} within ${timeoutMs} ms: ${stderr}`);
  };

  const kill = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc) return;
    proc.kill('SIGKILL');
    await exited(proc);
  };

  await launch();
  return {
    port,
    url: `nats://127.0.0.1:${port}`,
    kill,
    restart: async () => {
      if (stopped) throw new Error('nats-server was stopped; start a new one');
      await kill();
      await launch();
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await kill();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}
