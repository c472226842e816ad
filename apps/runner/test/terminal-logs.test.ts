import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAIN, requireBuilt, startCli } from './run-cli.js';

beforeAll(requireBuilt);

const PAPER = ['paper', '--duration', '1500ms', '--status-interval', '300ms'];

/** The built CLI on a real pseudo-terminal (util-linux `script`), its log files directed to a new dir. */
async function onTerminal(
  args: readonly string[],
): Promise<{ code: number | null; output: string; logDir: string }> {
  const logDir = await mkdtemp(join(tmpdir(), 'runner-tty-'));
  const command = [process.execPath, MAIN, ...args].map((word) => `'${word}'`).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    env: { ...process.env, TMPDIR: logDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, output, logDir };
}

describe('logs of a paper run', () => {
  it('on a terminal: the status line and no JSON log line; the full JSON log is in the file it names', async () => {
    const run = await onTerminal(PAPER);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/\[SIMULATED MARKET\] \d+s/);
    expect(run.output).not.toContain('{"level"');
    const files = await readdir(run.logDir);
    expect(files).toHaveLength(1);
    const file = join(run.logDir, files[0]!);
    expect(run.output).toContain(`full log: ${file}`);
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(JSON.parse(line)).toHaveProperty('level');
  }, 30_000);

  it('on a terminal with --json: JSON log lines as before, no log file', async () => {
    const run = await onTerminal([...PAPER, '--json']);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('{"level"');
    expect(await readdir(run.logDir)).toHaveLength(0);
  }, 30_000);

  it('not on a terminal: JSON log lines on stderr as before, only the summary on stdout with --json', async () => {
    const result = await startCli([...PAPER, '--json']).finished;
    expect(result.code, result.stderr.slice(-2_000)).toBe(0);
    expect(result.stderr).toContain('{"level"');
    expect(result.stderr).not.toContain('full log:');
    expect(JSON.parse(result.stdout)).toHaveProperty('stopReason', 'duration');
  }, 30_000);
});
