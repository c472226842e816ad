#!/usr/bin/env node
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PROVIDER_KINDS, type ProviderKind } from './providers.js';
import { runSoak } from './soak-run.js';

const USAGE = `usage: pnpm soak --minutes N [--seed S] [--provider ${PROVIDER_KINDS.join('|')}] [--json]
  All markets on both simulated exchanges behind fault proxies, a random fault every 2-4 s,
  every snapshot checked against the true book, heap sampled after GC. Exit 0 = pass.`;

interface Args {
  minutes: number;
  seed: number;
  provider: ProviderKind;
  json: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { minutes: 1, seed: 1, provider: 'ws', json: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--json') args.json = true;
    else if (flag === '--help' || flag === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (flag === '--minutes' || flag === '--seed') {
      const n = Number(value);
      if (value === undefined || !Number.isFinite(n) || n <= 0) {
        throw new Error(`${flag} needs a positive number, got ${value ?? 'nothing'}`);
      }
      if (flag === '--minutes') args.minutes = n;
      else args.seed = Math.floor(n);
      i++;
    } else if (flag === '--provider') {
      if (!PROVIDER_KINDS.includes(value as ProviderKind)) {
        throw new Error(`--provider must be one of ${PROVIDER_KINDS.join(', ')}, got ${value ?? 'nothing'}`);
      }
      args.provider = value as ProviderKind;
      i++;
    } else if (flag !== '--') {
      throw new Error(`unknown argument ${flag}\n${USAGE}`);
    }
  }
  return args;
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  if (typeof (globalThis as { gc?: unknown }).gc !== 'function') {
    // Heap samples need a real GC: re-run this file in a child with --expose-gc.
    const child = spawn(
      process.execPath,
      ['--expose-gc', fileURLToPath(import.meta.url), ...process.argv.slice(2)],
      {
        stdio: 'inherit',
      },
    );
    return await new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  }
  const log = (line: string): void => void process.stderr.write(`[soak] ${line}\n`);
  log(`${args.minutes} min, seed ${args.seed}, provider ${args.provider}`);
  const report = await runSoak({ ...args, faultEveryMs: [2_000, 4_000], log });
  if (args.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  log(report.pass ? 'PASS' : `FAIL:\n  ${report.failures.join('\n  ')}`);
  return report.pass ? 0 : 1;
}

process.exitCode = await main();
