#!/usr/bin/env node
import { ArbitrageError, ConfigError } from '@arbitrage/core';
import { CommanderError } from 'commander';
import { parseFeedCommand } from './program.js';
import { runFeed } from './run-feed.js';
import { createRunnerLogger, loadConfig, SecretScrubber } from './runner-parts.js';

/** Exit codes as the runner's: 0 done, 1 failed while running, 2 bad input (nothing was started). */
async function main(): Promise<number> {
  const stderr = { write: (text: string) => process.stderr.write(text) };
  let command: ReturnType<typeof parseFeedCommand>;
  try {
    command = parseFeedCommand(process.argv.slice(2), {
      writeOut: (text) => process.stdout.write(text),
      writeErr: (text) => process.stderr.write(text),
    });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  try {
    const config = await loadConfig({ file: command.configFile, env: process.env, flags: command.flags });
    const scrubber = SecretScrubber.fromEnv(process.env);
    const logger = createRunnerLogger({
      level: config.runner.logLevel,
      sink: stderr,
      scrubber,
      app: 'arbitrage-feed',
    });
    const outcome = await runFeed({
      config,
      natsUrl: command.natsUrl,
      durationMs: command.durationMs,
      logger,
      handleSignals: true,
    });
    logger.info(outcome, 'feed stopped');
    logger.flush();
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`error: ${error.message}\nnothing was started.\n`);
      return 2;
    }
    const code = error instanceof ArbitrageError ? ` [${error.code}]` : '';
    process.stderr.write(`error${code}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

process.exitCode = await main();
